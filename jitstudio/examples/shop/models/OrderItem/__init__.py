from .model import OrderItem
