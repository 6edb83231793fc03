from .service import AuditSvc
