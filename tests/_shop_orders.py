"""Orders in a copy of the example shop, placed and paid through the app's own services, as a customer would."""
from __future__ import annotations


def place_paid_orders(rt, quantities=(1,)) -> list[int]:
    """Customer Ann, a lamp of 300, and one paid order per quantity; the orders' ids."""
    rt.model("models.Customer").create({"name": "Ann", "email": "ann@example.com", "level": "regular", "creditLimit": 0})
    rt.model("models.Product").create({"name": "Lamp", "sku": "L-1", "price": 300, "stock": 10, "active": 1})
    ids = []
    for quantity in quantities:
        order = rt.call("services.OrderSvc.placeOrder", kwargs={"customerId": 1, "items": [{"productId": 1, "quantity": quantity}]})
        rt.call("services.OrderSvc.payOrder", kwargs={"orderId": order["orderId"]})
        ids.append(order["orderId"])
    return ids
