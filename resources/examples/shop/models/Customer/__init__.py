from .model import Customer
