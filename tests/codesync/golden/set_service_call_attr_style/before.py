from services.NormalType import NormalService


class OrderSvc(NormalService):
    def onOrderChanged(self, eventOutData):
        row = eventOutData.postData.value
        app.services.StockSvc.reserve(row['sku'], qty=row['qty'])
        return row
