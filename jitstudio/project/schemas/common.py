"""Shared pieces of the e.json / config.json schemas."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema


class LocatedValueError(ValueError):
    """A check across several keys, raised from a model validator, naming the key a problem should point at."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


class Spec(BaseModel):
    """A JSON file's schema. Unknown keys are kept, so files written for JitAI survive a load and save."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_default=False)

    def extra_keys(self) -> dict[str, Any]:
        return dict(self.__pydantic_extra__ or {})


def _func_type(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("global", "inner"):
        return value.capitalize()
    return value


# Both casings appear in the JitAI docs; the schema for editors accepts what the loader accepts.
FuncType = Annotated[
    Literal["Global", "Inner"],
    BeforeValidator(_func_type),
    WithJsonSchema({"type": "string", "enum": ["Global", "Inner", "global", "inner"]}),
]
Flag = Annotated[int, Field(ge=0, le=1)]


class ElementSpec(Spec):
    """Keys every element's e.json may hold."""

    title: str = ""
    type: str = ""
    icon: str | None = None
    description: str | None = None
    tag: str | list[str] | None = None
    backendBundleEntry: str | None = None
    frontBundleEntry: str | None = None
    frontMobileBundleEntry: str | None = None
    backendLoadTime: Literal["afterAppInit", "beforeHandleRequest"] | None = None
    loadTime: Literal["startUp", "afterStartUp"] | None = None
    accessModifier: Literal["private", "protected", "public"] | None = None
    cacheLevel: Literal[0, 1] | None = None


class ArgSpec(Spec):
    name: str
    title: str = ""
    dataType: str = "Stext"
    generic: str | None = None
    acceptDataTypes: list[str] | None = None
    value: Any = None
    required: bool | int = False


class FunctionSpec(Spec):
    """One entry of an element's functionList."""

    name: str
    title: str = ""
    args: list[ArgSpec] = []
    returnType: str | None = None
    argsToDatatype: bool | int | None = None
    desc: str | None = None
    is_async: bool | int | None = Field(default=None, alias="async")
    loginRequired: int | bool = 1
    ignoreSign: bool = False
