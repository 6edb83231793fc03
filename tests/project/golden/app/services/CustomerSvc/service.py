# -*-coding:utf-8-*-
from services.NormalType import NormalService


class CustomerSvc(NormalService):
    def audit(self, *args, **kwargs):
        """Écrit une ligne de journal."""
        return None

    def lookup(self, customerId):
        return {"customerId": customerId}
