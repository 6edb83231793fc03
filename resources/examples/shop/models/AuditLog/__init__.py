from .model import AuditLog
