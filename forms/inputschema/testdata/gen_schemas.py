#!/usr/bin/env python3
"""Regenerate forms/inputschema/testdata/schemas/*.json: the exact schemas Prefect stores for pause/suspend inputs.

Run with the pinned Prefect's interpreter (prefect==3.9.1), from anywhere:

    ~/.cache/unpause/prefect-3.9.1/bin/python forms/inputschema/testdata/gen_schemas.py

For every input type below it does what `RunInput.save` does in prefect/input/run_input.py:
`run_input_subclass_from_type(T)` turns a type / BaseModel / RunInput into a RunInput class, then
`create_v2_schema(cls.__name__, model_base=cls)` builds the schema, and the server stores
`orjson.dumps(schema)` (prefect/input/actions.py create_flow_run_input). Files are written byte for
byte as stored: compact orjson output, no trailing newline. Existing *_pydantic_v1.json files are
hand-copied shapes and are left alone.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import importlib.util
import os
import sys
import uuid
from typing import Any, Dict, List, Literal, Optional, Set, Tuple, Union

import orjson
import prefect
import pydantic
from pydantic import BaseModel, Field, HttpUrl, SecretStr, model_validator

from prefect._internal.pydantic.v2_schema import create_v2_schema
from prefect.input import RunInput
from prefect.input.run_input import run_input_subclass_from_type

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")
HAS_EMAIL_VALIDATOR = importlib.util.find_spec("email_validator") is not None


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class Priority(int, enum.Enum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


class Address(BaseModel):
    street: str
    zip_code: str = Field(pattern=r"^\d{5}$")


# The approval example of Prefect's docs (docs/v3/advanced/interactive.mdx), complete.
class ApprovalInput(RunInput):
    approved: bool
    reason: Optional[str] = None
    approver: str = Field(description="Who approved", min_length=2, max_length=50)
    count: int = Field(default=1, ge=1, le=10)
    color: Color = Color.RED
    mode: Literal["fast", "slow"] = "fast"
    ids: List[int]
    when: Optional[dt.datetime] = None
    home: Address


class Scalars(RunInput):
    name: str
    nickname: str = "bob"
    age: int
    retries: int = 3
    ratio: float
    threshold: float = 0.5
    enabled: bool
    dry_run: bool = True


class Constraints(RunInput):
    count: int = Field(default=1, ge=1, le=10, description="Between 1 and 10")
    ratio: float = Field(default=0.5, gt=0, lt=1)
    step: int = Field(default=0, ge=0, multiple_of=5)
    fraction: float = Field(default=0.25, multiple_of=0.25)
    code: str = Field(min_length=2, max_length=8, description="2 to 8 characters")
    zip_code: str = Field(default="00000", pattern=r"^\d{5}$")
    email_like: str = Field("", pattern=r"^.+@.+$")
    negative: int = Field(default=-1, lt=0)


class Choices(RunInput):
    color: Color = Color.RED
    required_color: Color
    priority: Priority = Priority.MEDIUM
    mode: Literal["fast", "slow"] = "fast"
    level: Literal[1, 2, 3] = 2
    single: Literal["only"] = "only"
    multi: List[Literal["a", "b", "c"]] = []
    colors: List[Color] = [Color.RED]
    region: Literal[
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
        "ap-southeast-1", "ap-southeast-2", "ca-central-1", "sa-east-1",
    ] = "eu-west-1"


class Collections(RunInput):
    ids: List[int]
    names: List[str] = ["a", "b"]
    uniq: Set[str] = set()
    pair: Tuple[int, str] = (1, "a")
    extra: Dict[str, Any] = {}
    weights: Dict[str, float] = {"a": 1.0}
    addresses: List[Address] = []
    matrix: List[List[int]] = [[1, 2], [3]]


class Optionals(RunInput):
    reason: Optional[str] = None
    req_opt: Optional[int]
    when: Optional[dt.datetime] = None
    run_id: Optional[uuid.UUID] = None
    flag: Optional[bool] = None
    color: Optional[Color] = None
    home: Optional[Address] = None
    either: Union[int, str] = 0
    amount: decimal.Decimal = decimal.Decimal("1.5")
    tags: Optional[List[str]] = None


class Temporal(RunInput):
    starts_at: dt.datetime
    due: dt.date = dt.date(2025, 1, 1)
    at: dt.time = dt.time(14, 30)
    timeout: dt.timedelta = dt.timedelta(seconds=5)
    window: dt.timedelta
    deadline: dt.datetime = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    request_id: uuid.UUID
    link: HttpUrl = HttpUrl("https://example.com/")
    token: SecretStr = SecretStr("hunter2")
    password: SecretStr


class Inner(BaseModel):
    depth: int = 3
    label: str


class Middle(BaseModel):
    name: str
    inner: Inner
    maybe_inner: Optional[Inner] = None


class Nested(RunInput):
    title: str
    middle: Middle
    note: str = ""
    home: Address = Address(street="Main St 1", zip_code="12345")


class ShirtOrder(RunInput):
    size: Literal["small", "medium", "large", "xlarge"]
    color: Literal["red", "green", "black"]

    @model_validator(mode="after")
    def validate_age(self):
        if self.color == "green" and self.size == "small":
            raise ValueError("Green is only in-stock for medium, large, and XL sizes.")
        return self


class PlainModel(BaseModel):
    """A plain pydantic model: Prefect wraps it as <Name>RunInput."""

    approve: bool = False
    comment: str = ""


if HAS_EMAIL_VALIDATOR:
    from pydantic import EmailStr

    class Contact(RunInput):
        email: EmailStr
        cc: Optional[EmailStr] = None


def input_types() -> Dict[str, Any]:
    types: Dict[str, Any] = {
        "approval_input": ApprovalInput,
        "scalars": Scalars,
        "constraints": Constraints,
        "choices": Choices,
        "collections": Collections,
        "optionals": Optionals,
        "temporal": Temporal,
        "nested": Nested,
        "shirt_order": ShirtOrder,
        "plain_model": PlainModel,
        "automatic_str": str,
        "automatic_int": int,
        "automatic_bool": bool,
        "automatic_list_int": List[int],
        # with_initial_data: defaults replace Field metadata; the description is stored separately.
        "approval_with_initial_data": ApprovalInput.with_initial_data(
            description="Approve **deploy**?", approver="alice", count=3, approved=True
        ),
    }
    if HAS_EMAIL_VALIDATOR:
        types["contact"] = Contact
    return types


def stored_schema(t: Any) -> bytes:
    cls = run_input_subclass_from_type(t)
    schema = create_v2_schema(cls.__name__, model_base=cls)
    return orjson.dumps(schema)


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    print(f"prefect {prefect.__version__}, pydantic {pydantic.VERSION}", file=sys.stderr)
    if not HAS_EMAIL_VALIDATOR:
        print("email-validator not installed: skipping EmailStr", file=sys.stderr)
    for name, t in input_types().items():
        path = os.path.join(OUT, name + ".json")
        with open(path, "wb") as f:
            f.write(stored_schema(t))
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
