from .model import Order
