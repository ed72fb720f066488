"""Seed a Prefect server with paused flow runs that wait for input.

    PREFECT_API_URL=http://127.0.0.1:4200/api \
        "$(scripts/prefect-venv)/bin/python" scripts/seed.py --count 1000

Every run carries what Prefect itself stores for a pause that waits for input:
  1. a Paused (or Suspended, reschedule=True) state from prefect.states with pause_key "1",
     a pause_timeout and run_input_keyset = keyset_from_paused_state(state); with
     --mode direct (default) it is the run's initial state, with --mode orchestrated the run
     is created RUNNING and the pause proposed through normal orchestration like the engine;
  2. the schema, saved with create_v2_schema + acreate_flow_run_input (RunInput.asave's
     code path), and for most kinds a Markdown description under the description key.

The mix: several flows, some runs from deployments, tags, ~10% suspended (reschedule,
deployments only), ~10% with no input (plain pause), timeouts from 15-30 minutes (~10%)
to days, and no timeout for most suspends.

Prints the elapsed time; --ids-out writes the created run ids, one per line.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Callable, List, Literal, Optional
from uuid import UUID

from pydantic import BaseModel, Field

from prefect import get_client
from prefect._internal.pydantic.v2_schema import create_v2_schema
from prefect.client.schemas.actions import FlowRunCreate
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.responses import SetStateStatus
from prefect.input import RunInput
try:  # Prefect 3
    from prefect.input.actions import acreate_flow_run_input
except ImportError:  # Prefect 2.x: the same coroutine under its older name
    from prefect.input.actions import create_flow_run_input as acreate_flow_run_input
from prefect.input.run_input import keyset_from_paused_state, run_input_subclass_from_type
from prefect.states import Paused, Running, Suspended

try:  # Prefect 3
    from prefect.states import to_state_create
except ImportError:  # Prefect 2.x: a State method

    def to_state_create(state: Any) -> Any:
        return state.to_state_create()

def dump(model: Any, **kw: Any) -> Any:
    """A client model as JSON data (pydantic v2 models in Prefect 3, v1 ones in 2.x)."""
    if hasattr(model, "model_dump"):
        return model.model_dump(mode="json", **kw)
    import json

    return json.loads(model.json(**kw))


async def post(client: Any, path: str, body: Any) -> Any:
    """POST with the client's own HTTP session (Prefect 3's request, 2.x's _client)."""
    if hasattr(client, "request"):
        return await client.request("POST", path, json=body)
    return await client._client.post(path, json=body)


# --------------------------------------------------------------------------- input models


class InvoiceApproval(RunInput):
    approve: bool = False
    amount_ok: bool = True
    notes: str = Field("", description="Why approve or reject?")


class ModelPromotion(RunInput):
    promote: bool
    stage: Literal["staging", "canary", "production"] = "staging"
    traffic_percent: int = Field(default=10, ge=1, le=100)
    reviewer: str = Field(description="Who signs off", min_length=2)


class Size(str, Enum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class ShirtOrder(RunInput):
    size: Size
    color: Literal["red", "green", "blue"]
    quantity: int = Field(default=1, ge=1, le=20)


class Contact(BaseModel):
    name: str
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")


class CleanupPlan(RunInput):
    tables: List[Literal["events", "sessions", "audit_log", "tmp_uploads"]] = []
    older_than_days: int = Field(default=30, ge=1)
    dry_run: bool = True
    run_at: Optional[datetime] = None
    owner: Contact
    escalate_to: Optional[Contact] = None


class Label(str, Enum):
    PIG = "pig"
    DOG = "dog"
    CAT = "cat"


@dataclass(frozen=True)
class Kind:
    """One kind of human question: the input type and how to describe a run of it."""

    flow: str
    wait_for: Any  # a RunInput subclass or a plain type (AutomaticRunInput)
    describe: Callable[[random.Random, int], Optional[str]]


def _invoice(rng: random.Random, i: int) -> str:
    amount = rng.randint(100, 90_000)
    return (
        f"## Invoice #{10_000 + i}\n\n"
        f"Vendor **{rng.choice(['Acme', 'Globex', 'Initech', 'Umbrella'])}** asks for "
        f"**${amount:,}**.\n\n- PO: `PO-{rng.randint(1000, 9999)}`\n- Due in {rng.randint(1, 30)} days\n"
    )


def _promotion(rng: random.Random, i: int) -> str:
    return (
        f"# Promote model `churn-v{i % 40}`\n\nAUC **{rng.uniform(0.7, 0.95):.3f}** "
        f"(baseline {rng.uniform(0.7, 0.9):.3f}).\n\n1. Check the eval report\n2. Pick a stage\n"
    )


KINDS: list[Kind] = [
    Kind("invoice-approval", InvoiceApproval, _invoice),
    Kind("model-promotion", ModelPromotion, _promotion),
    Kind("shirt-orders", ShirtOrder, lambda r, i: "Pick a **size** and a **colour**."),
    Kind("db-cleanup", CleanupPlan, lambda r, i: f"Cleanup plan for shard `db-{i % 12}`."),
    Kind("label-images", Label, lambda r, i: f"What is in image `img_{i:05d}.jpg`?"),
    Kind("greeting", str, lambda r, i: None),
    Kind("batch-size", int, lambda r, i: "How many records per batch?"),
]
DEPLOYMENTS = {  # flow name -> deployment names; runs of these flows mostly come from them
    "invoice-approval": ["nightly", "adhoc"],
    "model-promotion": ["weekly"],
    "db-cleanup": ["monthly"],
}
# acreate_flow_run_input is wrapped by client_injector, which would open a new client per
# call; the undecorated function takes our shared client as its first argument.
_create_input = inspect.unwrap(acreate_flow_run_input)  # Prefect 2 wraps it twice (sync_compatible, inject_client)

TAGS = ["ops", "finance", "ml", "nightly", "urgent", "eu", "us", "team-a", "team-b"]


# --------------------------------------------------------------------------- seeding


@dataclass
class Prepared:
    kind: Kind
    schema: dict


class Seeder:
    def __init__(self, client, rng: random.Random, extra_tags: list[str], name_prefix: str, direct: bool):
        self.direct = direct
        self.client = client
        self.rng = rng
        self.extra_tags = extra_tags
        self.name_prefix = name_prefix
        self.flow_ids: dict[str, UUID] = {}
        self.deployment_ids: dict[str, list[UUID]] = {}
        self.prepared: list[Prepared] = []
        self.counts = {"paused": 0, "suspended": 0, "no_input": 0, "deployment": 0, "expiring_soon": 0}

    async def setup(self) -> None:
        from prefect.client.schemas.actions import FlowCreate

        for kind in KINDS:
            cls = run_input_subclass_from_type(kind.wait_for)
            # Same call RunInput.asave makes; computed once per model since it is identical per run.
            schema = create_v2_schema(cls.__name__, model_base=cls)
            self.prepared.append(Prepared(kind, schema))
            name = self.name_prefix + kind.flow
            resp = await post(self.client, "/flows/", dump(FlowCreate(name=name)))
            self.flow_ids[kind.flow] = UUID(resp.json()["id"])
        for flow, names in DEPLOYMENTS.items():
            self.deployment_ids[flow] = [
                await self.client.create_deployment(
                    flow_id=self.flow_ids[flow],
                    name=self.name_prefix + dep,
                    tags=["seeded"],
                    description=f"Seeded deployment {dep} of {flow}",
                )
                for dep in names
            ]

    async def create_one(self, i: int) -> UUID:
        rng = random.Random(self.rng.random())  # per-run stream: stable under concurrency
        prep = self.prepared[i % len(self.prepared)]
        kind = prep.kind
        deployments = self.deployment_ids.get(kind.flow, [])
        deployment_id = rng.choice(deployments) if deployments and rng.random() < 0.8 else None
        suspended = deployment_id is not None and rng.random() < 0.3
        wants_input = rng.random() >= 0.1
        tags = rng.sample(TAGS, rng.randint(0, 3)) + self.extra_tags
        params = {"batch": i, "source": rng.choice(["s3", "gcs", "local"])}

        roll = rng.random()
        if suspended:
            timeout = None if roll < 0.7 else rng.randint(3600, 7 * 86400)
            state = Suspended(timeout_seconds=timeout, pause_key="1")
        else:
            if roll < 0.1:
                # Expires soon, but not while a seed or benchmark is still running: every
                # expiry makes the server's pause-expiration service write (SQLite locks).
                timeout = rng.randint(15 * 60, 30 * 60)
                self.counts["expiring_soon"] += 1
            else:
                timeout = rng.choice([3600, 4 * 3600, 86400, 3 * 86400, 7 * 86400])
            state = Paused(timeout_seconds=timeout, pause_key="1")
        keyset = keyset_from_paused_state(state) if wants_input else None
        state.state_details.run_input_keyset = keyset

        # orchestrated: created RUNNING, then the pause is proposed like the engine does.
        # direct: created with the pause as its initial state (the server sets it with
        # force=True), one request and one orchestration pass less.
        initial = state if self.direct else Running()
        if deployment_id is not None:
            run = await self.client.create_flow_run_from_deployment(
                deployment_id, parameters=params, state=initial, tags=tags
            )
            self.counts["deployment"] += 1
        else:
            create = FlowRunCreate(
                flow_id=self.flow_ids[kind.flow],
                parameters=params,
                tags=tags,
                state=to_state_create(initial),
            )
            resp = await post(
                self.client, "/flow_runs/", dump(create, exclude_unset=True)
            )
            run = FlowRun.model_validate(resp.json()) if hasattr(FlowRun, "model_validate") else FlowRun.parse_obj(resp.json())
        if not self.direct:
            result = await self.client.set_flow_run_state(run.id, state)
            if result.status != SetStateStatus.ACCEPT:
                raise RuntimeError(f"run {run.id}: pause not accepted: {result.status} {result.details}")
        elif run.state_type != StateType.PAUSED:
            raise RuntimeError(f"run {run.id}: created in state {run.state_type}, want PAUSED")
        self.counts["suspended" if suspended else "paused"] += 1

        if keyset is None:
            self.counts["no_input"] += 1
            return run.id
        # RunInput.asave: schema first, then the description if there is one.
        await _create_input(self.client, key=keyset["schema"], value=prep.schema, flow_run_id=run.id)
        description = kind.describe(rng, i)
        if description:
            await _create_input(self.client, key=keyset["description"], value=description, flow_run_id=run.id)
        return run.id


async def seed(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    started = time.monotonic()
    async with get_client() as client:
        await client.api_healthcheck()
        seeder = Seeder(client, rng, args.tag, args.name_prefix, args.mode == "direct")
        await seeder.setup()
        sem = asyncio.Semaphore(args.concurrency)
        done = 0

        async def worker(i: int) -> UUID:
            nonlocal done
            async with sem:
                run_id = await seeder.create_one(i)
            done += 1
            if done % 200 == 0:
                print(f"seed: {done}/{args.count} ({time.monotonic() - started:.1f}s)", file=sys.stderr)
            return run_id

        ids = await asyncio.gather(*(worker(i) for i in range(args.count)))
    elapsed = time.monotonic() - started
    if args.ids_out:
        with open(args.ids_out, "w") as fh:
            fh.writelines(f"{run_id}\n" for run_id in ids)
    c = seeder.counts
    print(
        f"seeded {len(ids)} runs in {elapsed:.1f}s ({len(ids) / elapsed:.0f} runs/s): "
        f"{c['paused']} paused, {c['suspended']} suspended, {c['no_input']} without input, "
        f"{c['deployment']} from deployments, {c['expiring_soon']} expiring in 15-30 min"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Seed paused flow runs that wait for input.")
    parser.add_argument("--count", type=int, default=100)
    # The server is the bottleneck (~45 ms of its CPU per run, one process, SQLite
    # serialising writes): on a fresh server 1, 2 and 4 in flight measured 74 s, 73 s and
    # 67 s per 1000 runs, but with more in flight a busy server (e.g. its pause-expiration
    # service failing runs) answers 503 "database is locked" until the client gives up.
    parser.add_argument("--concurrency", type=int, default=1, help="runs being created at once")
    parser.add_argument("--seed", type=int, default=1, help="random seed (the mix is reproducible)")
    parser.add_argument("--tag", action="append", default=[], help="extra tag on every run (repeatable)")
    parser.add_argument("--name-prefix", default="seed-", help="prefix for flow and deployment names")
    parser.add_argument(
        "--mode",
        choices=["orchestrated", "direct"],
        default="direct",
        help="direct (default): create each run with its Paused/Suspended state as the initial "
        "state (the server stores it with force=True; no start_time, no pause_keys); "
        "orchestrated: create it RUNNING, then propose the pause like the engine does "
        "(~2x slower: one more request and an orchestration pass per run)",
    )
    parser.add_argument("--ids-out", help="write the created run ids to this file")
    args = parser.parse_args()
    if not os.environ.get("PREFECT_API_URL"):
        parser.error("PREFECT_API_URL must be set (e.g. from scripts/prefect-server env)")
    return asyncio.run(seed(args))


if __name__ == "__main__":
    sys.exit(main())
