from .service import CustomerSvc
