"""Fixture flows that pause or suspend and wait for human input.

The Go integration tests (integration/harness_test.go) run these as subprocesses with the
pinned Prefect's python and PREFECT_API_URL set:

    python integration/flows/fixtures.py <fixture> [--timeout S] [--poll S]
        fixtures: greeting number image-label markdown shirt everything no-input expiring
    python integration/flows/fixtures.py serve --deployment NAME      # suspend fixture, served
    python integration/flows/fixtures.py serve --deployment NAME --flow greeting  # a blocking pause, served
    python integration/flows/fixtures.py trigger --deployment NAME --out PATH

Protocol:
  * stdout carries a line ``FLOW_RUN_ID=<uuid>`` as soon as the run id is known (other
    lines, e.g. Prefect's own logs, may come before it).
  * When a flow finishes it writes JSON to the path in ``UNPAUSE_FIXTURE_OUT`` (for served
    runs: the ``out`` flow parameter), atomically, e.g.
    ``{"fixture": "greeting", "flow_run_id": "...", "outcome": "resumed",
       "received": "Ada", "attempts": 1}``.
    ``received`` is what ``pause_flow_run``/``suspend_flow_run`` returned, as JSON
    (pydantic ``model_dump(mode="json")`` for models).

Env:
  UNPAUSE_FIXTURE_OUT      where to write the result JSON (optional for manual runs)
  UNPAUSE_FIXTURE_TIMEOUT  default pause timeout in seconds (600)
  UNPAUSE_FIXTURE_POLL     seconds between "was I resumed?" polls (default 1; Prefect's is 10)
  UNPAUSE_FIXTURE_TAGS     more tags for the runs, comma-separated (a test selects its own runs by them)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import datetime
from enum import Enum
from typing import Any, Callable, List, Literal, Optional

import pydantic
from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_core import to_jsonable_python

from prefect import flow, get_run_logger, tags
from prefect.exceptions import FlowPauseTimeout
try:  # Prefect 3
    from prefect.flow_runs import pause_flow_run, suspend_flow_run
except ImportError:  # Prefect 2.x exports them at the top level
    from prefect import pause_flow_run, suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import flow_run as runtime_flow_run

DEFAULT_TIMEOUT = int(os.environ.get("UNPAUSE_FIXTURE_TIMEOUT", "600"))
POLL = int(os.environ.get("UNPAUSE_FIXTURE_POLL", "1"))
FIXTURE_TAGS = ("unpause-fixture",)
EXTRA_TAGS = tuple(t for t in os.environ.get("UNPAUSE_FIXTURE_TAGS", "").split(",") if t)


# --------------------------------------------------------------------------- helpers


def announce() -> str:
    """Print the current flow run id so the test can find the run."""
    run_id = str(runtime_flow_run.id)
    # One write: ``many`` runs share a stdout, and their lines must not interleave.
    sys.stdout.write(f"FLOW_RUN_ID={run_id}\n")
    sys.stdout.flush()
    return run_id


def write_out(result: dict[str, Any], path: Optional[str] = None) -> None:
    """Write the result JSON atomically (tests poll for the file).

    With several runs in one process (``many``) each writes ``<out>.<flow run id>``.
    """
    path = path or os.environ.get("UNPAUSE_FIXTURE_OUT")
    if path and os.environ.get("UNPAUSE_FIXTURE_PER_RUN") == "1":
        path = f"{path}.{result['flow_run_id']}"
    if not path:
        print("RESULT=" + json.dumps(to_jsonable_python(result)), flush=True)
        return
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".fixture-out.")
    with os.fdopen(fd, "w") as fh:
        json.dump(to_jsonable_python(result), fh)
    os.replace(tmp, path)


def dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return to_jsonable_python(value)


def resumed(fixture: str, run_id: str, received: Any, attempts: int = 1, **extra: Any) -> dict:
    return {
        "fixture": fixture,
        "flow_run_id": run_id,
        "outcome": "resumed",
        "received": dump(received),
        "attempts": attempts,
        **extra,
    }


# --------------------------------------------------------------------------- models


class Animal(str, Enum):
    PIG = "pig"
    DOG = "dog"


class DeployApproval(RunInput):
    approve: bool = False
    environment: Literal["staging", "production"] = "staging"
    reviewer: str = Field(description="Who reviewed the release", min_length=2)
    notes: str = Field("", description="Why approve or reject?")


DEPLOY_DESCRIPTION = """\
# Deploy approval

Release **v2.3.1** is ready to go to `production`.

## Changes
- Faster checkout (**-40%** p95)
- New payment provider behind the `payments.v2` flag
- Fix for `ORDER-1234`

Approve to deploy now, or reject with a note.
"""


class ShirtOrder(RunInput):
    size: Literal["small", "medium", "large"]
    color: Literal["red", "green", "blue"]

    @model_validator(mode="after")
    def green_not_small(self) -> "ShirtOrder":
        if self.size == "small" and self.color == "green":
            raise ValueError("Green is only in stock in medium and large.")
        return self


class Credentials(RunInput):
    user: str = "deploy-bot"
    token: SecretStr = Field(description="The deploy token")


class Priority(str, Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class Address(BaseModel):
    street: str
    city: str = "Springfield"
    zip_code: str = Field(pattern=r"^\d{5}$")


class Everything(RunInput):
    title: str = Field(description="Short title for the ticket", min_length=2, max_length=50)
    count: int = Field(default=1, ge=1, le=10)
    ratio: float = Field(default=0.5, gt=0, lt=1)
    urgent: bool = False
    priority: Priority = Priority.NORMAL
    labels: List[Literal["bug", "feature", "docs"]] = []
    reason: Optional[str] = None
    due: datetime
    remind_at: Optional[datetime] = None
    home: Address
    billing: Optional[Address] = None


class SuspendApproval(RunInput):
    approve: bool
    comment: str = ""


# --------------------------------------------------------------------------- flows


@flow(name="unpause-greeting")
def greeting(timeout: int = DEFAULT_TIMEOUT) -> str:
    run_id = announce()
    name = pause_flow_run(wait_for_input=str, timeout=timeout, poll_interval=POLL)
    get_run_logger().info(f"Hello, {name}!")
    write_out(resumed("greeting", run_id, name))
    return name


@flow(name="unpause-number")
def number(timeout: int = DEFAULT_TIMEOUT) -> int:
    run_id = announce()
    value = pause_flow_run(wait_for_input=int, timeout=timeout, poll_interval=POLL)
    get_run_logger().info(f"Got number {value}")
    write_out(resumed("number", run_id, value))
    return value


@flow(name="unpause-image-label")
def image_label(timeout: int = DEFAULT_TIMEOUT) -> str:
    run_id = announce()
    label = pause_flow_run(wait_for_input=Animal, timeout=timeout, poll_interval=POLL)
    get_run_logger().info(f"Image labelled as {label.value}")
    write_out(resumed("image-label", run_id, label))
    return label.value


@flow(name="unpause-deploy-approval")
def markdown(timeout: int = DEFAULT_TIMEOUT) -> dict:
    run_id = announce()
    form = DeployApproval.with_initial_data(
        description=DEPLOY_DESCRIPTION, approve=True, environment="production"
    )
    answer = pause_flow_run(wait_for_input=form, timeout=timeout, poll_interval=POLL)
    get_run_logger().info(f"Deploy approved={answer.approve} by {answer.reviewer}")
    write_out(resumed("markdown", run_id, answer))
    return answer.model_dump(mode="json")


@flow(name="unpause-shirt-order")
def shirt(timeout: int = DEFAULT_TIMEOUT) -> dict:
    """Prefect's docs example: re-pause until the model validator accepts the input."""
    run_id = announce()
    logger = get_run_logger()
    form: type[ShirtOrder] = ShirtOrder.with_initial_data(
        description="Pick a **size** and a **colour** for your shirt."
    )
    errors: list[str] = []
    attempts = 0
    order = None
    while order is None:
        attempts += 1
        try:
            order = pause_flow_run(wait_for_input=form, timeout=timeout, poll_interval=POLL)
        except pydantic.ValidationError as exc:
            reason = "; ".join(e["msg"] for e in exc.errors())
            errors.append(reason)
            logger.error(f"Invalid shirt order: {reason}")
            form = ShirtOrder.with_initial_data(
                description=f"**That combination is not available.** {reason}\n\nPlease pick again."
            )
    logger.info(f"Shirt order: {order.size} {order.color}")
    write_out(resumed("shirt", run_id, order, attempts=attempts, errors=errors))
    return order.model_dump(mode="json")


@flow(name="unpause-everything")
def everything(timeout: int = DEFAULT_TIMEOUT) -> dict:
    run_id = announce()
    form = Everything.with_initial_data(
        description="Every field type the form has to handle: nested models, optionals, "
        "a multi-select, an enum and date-times."
    )
    answer = pause_flow_run(wait_for_input=form, timeout=timeout, poll_interval=POLL)
    get_run_logger().info(f"Everything: {answer.title}")
    write_out(resumed("everything", run_id, answer))
    return answer.model_dump(mode="json")


@flow(name="unpause-no-input")
def no_input(timeout: int = DEFAULT_TIMEOUT) -> None:
    run_id = announce()
    received = pause_flow_run(timeout=timeout, poll_interval=POLL)
    get_run_logger().info("Resumed without input")
    write_out(resumed("no-input", run_id, received))


@flow(name="unpause-expiring")
def expiring(timeout: int = 5) -> str:
    run_id = announce()
    try:
        name = pause_flow_run(wait_for_input=str, timeout=timeout, poll_interval=POLL)
    except FlowPauseTimeout as exc:
        write_out(
            {
                "fixture": "expiring",
                "flow_run_id": run_id,
                "outcome": "expired",
                "error": f"{type(exc).__name__}: {exc}",
                "attempts": 1,
            }
        )
        raise
    write_out(resumed("expiring", run_id, name))
    return name


@flow(name="unpause-suspend")
def suspend(out: str = "", timeout: Optional[int] = None) -> dict:
    """Served flow: suspends (the process exits); the resumed re-run gets the input.

    timeout defaults to None like suspend_flow_run's own default: no expiry.
    """
    run_id = announce()
    # The same code runs twice: once suspending, once after "Resuming". The second
    # suspend_flow_run call is rejected ("already fired") and returns the input.
    answer = suspend_flow_run(wait_for_input=SuspendApproval, timeout=timeout)
    get_run_logger().info(f"Suspended run resumed: approve={answer.approve}")
    write_out(
        resumed("suspend", run_id, answer, run_count=runtime_flow_run.run_count),
        path=out or None,
    )
    return answer.model_dump(mode="json")


@flow(name="unpause-secret")
def secret(timeout: int = DEFAULT_TIMEOUT) -> dict:
    """A SecretStr field: the flow gets the value; nothing shows it again."""
    run_id = announce()
    answer = pause_flow_run(wait_for_input=Credentials, timeout=timeout, poll_interval=POLL)
    got = {"user": answer.user, "token": answer.token.get_secret_value()}
    write_out(resumed("secret", run_id, got))
    return {"user": answer.user}


PAUSING_FLOWS: dict[str, Callable[..., Any]] = {
    "secret": secret,
    "greeting": greeting,
    "number": number,
    "image-label": image_label,
    "markdown": markdown,
    "shirt": shirt,
    "everything": everything,
    "no-input": no_input,
    "expiring": expiring,
}


# --------------------------------------------------------------------------- CLI


def served_flow(name: str) -> Any:
    """The flow a served deployment runs: the suspend fixture, or a pausing one."""
    return suspend if name == "suspend" else PAUSING_FLOWS[name]


def serve_fixture(deployment: str, flow_name: str) -> None:
    from prefect import serve

    fn = served_flow(flow_name)
    # Prefect 2.x wants the flow's file under the working directory
    # (RunnerDeployment.from_flow); every path the fixtures use is absolute.
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    dep = fn.to_deployment(name=deployment, tags=list(FIXTURE_TAGS))
    # Register first so the test can trigger runs as soon as this line appears;
    # serve() upserts the same deployment again.
    deployment_id = dep.apply()
    print(f"DEPLOYMENT_ID={deployment_id}", flush=True)
    print(f"DEPLOYMENT_NAME={fn.name}/{deployment}", flush=True)
    serve(dep, print_starting_message=False)


def trigger(deployment: str, flow_name: str, out: str, timeout: Optional[int]) -> None:
    from prefect.deployments import run_deployment

    params: dict[str, Any] = {"out": out} if flow_name == "suspend" else {}
    if timeout is not None:
        params["timeout"] = timeout
    run = run_deployment(
        f"{served_flow(flow_name).name}/{deployment}", parameters=params, timeout=0, as_subflow=False
    )
    print(f"FLOW_RUN_ID={run.id}", flush=True)


def many(count: int, timeout: Optional[int], fixture: str = "greeting") -> int:
    """Run count flows of a fixture (greeting by default) at once, one child process each.

    Forked children: not threads (Prefect 2's engine crashes flows run side by side in
    threads), nor fresh interpreters (each would import Prefect again: twenty at once
    take minutes of CPU on a two-core machine under test load). Nothing here has
    started a thread before the fork. The children share this process group (the
    harness stops them with it) and stdout, where each prints its FLOW_RUN_ID line in
    one write.
    """
    import threading

    if threading.active_count() != 1:
        raise RuntimeError("many: a thread is running; forking now could deadlock the children")
    os.environ["UNPAUSE_FIXTURE_PER_RUN"] = "1"
    sys.stdout.flush()
    children = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = run_fixture(fixture, timeout)
            except BaseException:  # said, as an uncaught exception would be
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    return max(codes)


def run_fixture(fixture: str, timeout: Optional[int]) -> int:
    """Run one pausing fixture flow; its exit code (3: the pause timed out)."""
    fn = PAUSING_FLOWS[fixture]
    kwargs = {} if timeout is None else {"timeout": timeout}
    with tags(*FIXTURE_TAGS, fixture, *EXTRA_TAGS):
        try:
            fn(**kwargs)
        except FlowPauseTimeout:
            return 3
        except Exception as exc:
            # Prefect 2.x: the server fails the expired pause, and the engine raises
            # FailedRun("The flow was failed and never resumed.") instead.
            if "never resumed" in str(exc):
                return 3
            raise
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixture", choices=[*PAUSING_FLOWS, "serve", "trigger", "many"])
    parser.add_argument("--count", type=int, default=20, help="many: how many runs")
    parser.add_argument("--of", default="greeting", choices=list(PAUSING_FLOWS), help="many: which fixture")
    parser.add_argument("--timeout", type=int, help="pause timeout in seconds")
    parser.add_argument(
        "--poll",
        type=int,
        help="seconds between resume checks (default $UNPAUSE_FIXTURE_POLL or 1); a poll longer "
        "than the timeout keeps the client from failing an expired pause itself",
    )
    parser.add_argument("--deployment", default="suspend-fixture", help="serve/trigger: deployment name")
    parser.add_argument("--out", default="", help="trigger: result path for the served run")
    parser.add_argument(
        "--flow", default="suspend", help="serve/trigger: the fixture the deployment runs (default suspend)"
    )
    args = parser.parse_args(argv)
    if args.poll is not None:
        global POLL
        POLL = args.poll

    if args.fixture == "serve":
        serve_fixture(args.deployment, args.flow)
        return 0
    if args.fixture == "trigger":
        trigger(args.deployment, args.flow, args.out or os.environ.get("UNPAUSE_FIXTURE_OUT", ""), args.timeout)
        return 0

    if args.fixture == "many":
        return many(args.count, args.timeout, args.of)

    return run_fixture(args.fixture, args.timeout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
