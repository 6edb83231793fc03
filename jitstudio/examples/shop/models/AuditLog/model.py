# -*-coding:utf-8-*-
from datatypes.Meta import datatypes
from models.NormalType import NormalModel


class AuditLog(NormalModel):
    id = datatypes.AutoInt(name="id", title="ID", primaryKey=1, readOnly=1)
    # What changed: a model fullName (models.Customer) or an agent tool (services.OrderSvc.getOrder).
    source = datatypes.Stext(name="source", title="Source", maxLen=200, dbIndex=1)
    # How it changed: a model operate (UpdateAfter, ...) or an agent stage (preEvent, postEvent).
    action = datatypes.Stext(name="action", title="Action", maxLen=64)
    recordId = datatypes.Stext(name="recordId", title="Record ID", maxLen=64)
    operator = datatypes.Stext(name="operator", title="Operator", maxLen=100)
    detail = datatypes.Ltext(name="detail", title="Detail")
    createdAt = datatypes.Datetime(name="createdAt", title="Created at", readOnly=1)
    updatedAt = datatypes.Datetime(name="updatedAt", title="Updated at", readOnly=1)

    class Meta:
        modelType = "NormalType"
        name = "AuditLog"
        title = "Audit log"
        db = "databases.Default"
        dataTitle = "source"
        dbTable = "shop_audit_log"
        unionIndexList = []
        unionUniqueList = []
