# -*-coding:utf-8-*-
from datetime import datetime

from jit.commons.utils.logger import log
from services.NormalType import NormalService

# Refunds above this amount also need Finance approval (see workflows.RefundApproval).
LARGE_REFUND = 500


def _val(obj):
    """The native value of a datatype object or row; plain values pass through."""
    return getattr(obj, "value", obj)


def _money(value):
    return round(float(value or 0), 2)


def _pkFilter(pk):
    return f"Q(Q('id', '=', {int(pk)}))"


class OrderSvc(NormalService):
    # ---------------------------------------------------------------- orders

    def placeOrder(self, customerId, items, note=""):
        """Create a draft order with its lines. The order number is filled in by an event."""
        Customer = app.getElement("models.Customer")
        Product = app.getElement("models.Product")
        Order = app.getElement("models.Order")
        OrderItem = app.getElement("models.OrderItem")

        customer = Customer.get(_pkFilter(customerId), [])
        if not customer:
            raise ValueError(f"Customer {customerId} does not exist")

        lines = []
        total = 0.0
        for entry in _val(items) or []:
            entry = _val(entry)
            productId = int(entry.get("productId"))
            quantity = int(entry.get("quantity") or 1)
            if quantity <= 0:
                raise ValueError(f"Quantity for product {productId} must be positive")
            product = Product.get(_pkFilter(productId), [])
            if not product or not product.active.value:
                raise ValueError(f"Product {productId} is not on sale")
            unitPrice = _money(product.price.value)
            lineTotal = _money(unitPrice * quantity)
            lines.append({"productId": productId, "quantity": quantity,
                          "unitPrice": unitPrice, "lineTotal": lineTotal})
            total += lineTotal
        if not lines:
            raise ValueError("An order needs at least one item")

        total = _money(total)
        creditLimit = _money(customer.creditLimit.value)
        if creditLimit and total > creditLimit:
            raise ValueError(f"Order total {total} exceeds the credit limit {creditLimit}")

        order = Order.create({
            "customerId": int(customerId),
            "status": "draft",
            "amount": total,
            "note": note or "",
        })
        orderId = order.id.value
        for line in lines:
            OrderItem.create(dict(line, orderId=orderId))
        log.info(f"Order {order.orderNo.value} placed for customer {customerId}: {total}")
        return {"orderId": orderId, "orderNo": order.orderNo.value, "amount": total}

    def payOrder(self, orderId):
        """Mark a draft order as paid and announce it with the orderPaid event."""
        order = self._loadOrder(orderId)
        if order.status.value != "draft":
            raise ValueError(f"Order {orderId} is {order.status.value}, only draft orders can be paid")
        order.status.value = "paid"
        order.paidAt.value = datetime.now()
        order.save()

        paid = {
            "orderId": order.id.value,
            "orderNo": order.orderNo.value,
            "customerId": order.customerId.value,
            "amount": _money(order.amount.value),
        }
        app.event.publish(sender="services.OrderSvc.orderPaid", args=(paid,))
        return self._orderDict(order)

    def getOrder(self, orderId):
        """An order with its lines, as plain values."""
        return self._orderDict(self._loadOrder(orderId))

    def refundOrder(self, orderId, reason):
        """Ask for a refund: the order waits in "refunding" until the refund approval ends."""
        order = self._loadOrder(orderId)
        if order.status.value not in ("paid", "shipped"):
            raise ValueError(f"Order {orderId} is {order.status.value} and cannot be refunded")
        order.status.value = "refunding"
        order.refundReason.value = reason or ""
        order.save()

        flow = app.getElement("workflows.RefundApproval")
        flow.doHandle(0, flow.getStartNodeId(), order, {"reason": reason or ""})
        result = self._orderDict(order)
        result["needsFinance"] = result["amount"] > LARGE_REFUND
        return result

    # -------------------------------------------------------- event handlers

    def auditChange(self, eventOutData):
        """Model event handler: every order status change goes to the audit log."""
        app.services.AuditSvc.logChange(eventOutData)

    def onOrderPaid(self, *args, **kwargs):
        """orderPaid subscriber: take the ordered quantities out of stock."""
        paid = _val(args[0]) if args else kwargs
        Product = app.getElement("models.Product")
        OrderItem = app.getElement("models.OrderItem")
        result = OrderItem.query(filter=f"Q(Q('orderId', '=', {int(paid['orderId'])}))", page=1, size=500)
        for item in result["rowDatas"]:
            item = _val(item)
            product = Product.get(_pkFilter(item["productId"]), [])
            # Product "Stock guard" rejects this save if stock would go below zero.
            product.stock.value = int(product.stock.value or 0) - int(item["quantity"])
            product.save()
        log.info(f"Stock reserved for order {paid.get('orderNo')}")

    def logAgentTool(self, eventOutData):
        """Agent tool event handler: records each tool call the Order Agent makes."""
        try:
            data = eventOutData.toDict()
            args = data.get("args")
            app.getElement("models.AuditLog").create({
                "source": eventOutData.toolName.value,
                "action": eventOutData.stage.value,
                "detail": "" if args is None else str(args),
            })
            log.info(f"Agent tool {eventOutData.toolName.value} at {eventOutData.stage.value}")
        except Exception as exc:  # a tool event must never break the agent
            log.error(f"Could not record agent tool call: {exc}")

    def onAssistantRun(self, userInput):
        """Assistant event handler (beforeRun): logs each question asked."""
        try:
            log.info(f"Shop Assistant asked: {_val(userInput)}")
        except Exception as exc:
            log.error(f"Could not log assistant question: {exc}")

    def onLookupDone(self, orderId, status, amount):
        """Assistant node event handler (lookupOrder.afterNodeRun): flags large orders."""
        try:
            amount = _money(_val(amount))
            log.info(f"Assistant looked up order {_val(orderId)}: {_val(status)}, {amount}")
            if amount > LARGE_REFUND:
                log.info(f"Order {_val(orderId)} is above {LARGE_REFUND}; refunds need Finance approval")
        except Exception as exc:
            log.error(f"Could not handle order lookup: {exc}")

    # --------------------------------------------------------------- helpers

    def _loadOrder(self, orderId):
        order = app.getElement("models.Order").get(_pkFilter(orderId), [])
        if not order:
            raise ValueError(f"Order {orderId} does not exist")
        return order

    def _orderDict(self, order):
        data = order.value
        OrderItem = app.getElement("models.OrderItem")
        result = OrderItem.query(filter=f"Q(Q('orderId', '=', {int(data['id'])}))",
                                 orderList=[["id", 1]], page=1, size=500)
        paidAt = data.get("paidAt")
        return {
            "orderId": data["id"],
            "orderNo": data.get("orderNo"),
            "customerId": data.get("customerId"),
            "status": data.get("status"),
            "amount": _money(data.get("amount")),
            "paidAt": paidAt.isoformat() if hasattr(paidAt, "isoformat") else paidAt,
            "note": data.get("note") or "",
            "items": [
                {
                    "productId": row.get("productId"),
                    "quantity": row.get("quantity"),
                    "unitPrice": _money(row.get("unitPrice")),
                    "lineTotal": _money(row.get("lineTotal")),
                }
                for row in (_val(r) for r in result["rowDatas"])
            ],
        }
