from .model import Product
