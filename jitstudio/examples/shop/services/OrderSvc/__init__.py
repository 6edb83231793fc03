from .service import OrderSvc
