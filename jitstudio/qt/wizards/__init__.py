"""One dialog per kind of new element: five event wizards and five element forms."""
from ._base import EventWizard
from ._element_base import ElementWizard
from .agent_event import AgentEventWizard
from .approval_event import ApprovalEventWizard
from .assistant_event import AssistantEventWizard
from .custom_event import CustomEventWizard
from .model_event import ModelEventWizard
from .new_agent import NewAgentWizard
from .new_assistant import NewAssistantWizard
from .new_model import NewModelWizard
from .new_service import NewServiceWizard
from .new_workflow import NewWorkflowWizard

# Each sets `created` to the new element's fullName when Finish made it.
WIZARDS: dict[str, type[EventWizard] | type[ElementWizard]] = {
    "event:model": ModelEventWizard,
    "event:workflow": ApprovalEventWizard,
    "event:normal": CustomEventWizard,
    "event:assistant": AssistantEventWizard,
    "event:agent": AgentEventWizard,
    "model": NewModelWizard,
    "service": NewServiceWizard,
    "workflow": NewWorkflowWizard,
    "agent": NewAgentWizard,
    "assistant": NewAssistantWizard,
}
TRIGGER_FORMS = {w.form_class.kind: w.form_class for k, w in WIZARDS.items() if k.startswith("event:")}

__all__ = ["TRIGGER_FORMS", "WIZARDS"]
