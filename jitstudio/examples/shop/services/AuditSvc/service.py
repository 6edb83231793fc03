# -*-coding:utf-8-*-
from globals import GlobalVar
from jit.commons.utils.logger import log
from services.NormalType import NormalService


class AuditSvc(NormalService):

    def logChange(self, eventOutData):
        """Model event handler: writes one audit line per data change."""
        model = eventOutData.model.value
        optType = eventOutData.optType.value
        prev = eventOutData.prevData.value or {}
        post = eventOutData.postData.value or {}

        changed = sorted(k for k in set(prev) | set(post)
                         if k not in ("updatedAt",) and prev.get(k) != post.get(k))
        detail = ", ".join(f"{k}: {prev.get(k)!r} -> {post.get(k)!r}" for k in changed)
        recordId = post.get("id", prev.get("id"))
        user = getattr(GlobalVar, "currentUser", None)
        operator = str(getattr(user, "value", user) or "system")

        log.info(f"[audit] {model} #{recordId} {optType} by {operator}: {detail or 'no field changes'}")
        app.getElement("models.AuditLog").create({
            "source": model,
            "action": optType,
            "recordId": "" if recordId is None else str(recordId),
            "operator": operator,
            "detail": detail,
        })
