from services.NormalType import NormalService


class OrderSvc(NormalService):
    def onOrderChanged(self, eventOutData):
        row = eventOutData.postData.value
        app.services.StockSvc.reserve(row['sku'], qty=1, note='x')
        return row
