from .service import MessageSvc
