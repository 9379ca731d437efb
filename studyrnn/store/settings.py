"""Reading and writing the learner's settings and the FSRS parameters in use.

Settings are one JSON value per key, so a newer studyrnn can add a key without a migration;
a missing key takes the ``Settings`` default. Values are validated before they are saved.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyrnn.errors import UsageError
from studyrnn.store.models import FsrsParameters, Setting
from studyrnn.values import Settings

RETENTION_RANGE = (0.70, 0.99)


def validate(settings: Settings) -> None:
    low, high = RETENTION_RANGE
    if not low <= settings.desired_retention <= high:
        raise UsageError(
            f"desired retention {settings.desired_retention} is out of range",
            f"choose a value from {low:.2f} to {high:.2f}; 0.90 is the usual choice",
        )
    if settings.new_per_day < 0 or settings.reviews_per_day < 0:
        raise UsageError("daily limits cannot be negative", "use 0 to stop new cards or reviews")
    if not 0 <= settings.day_cutoff_hour <= 23:
        raise UsageError(
            f"day cutoff {settings.day_cutoff_hour} is not an hour", "use 0 to 23, e.g. 4"
        )
    for steps in (settings.learning_steps, settings.relearning_steps):
        if any(s <= timedelta(0) for s in steps):
            raise UsageError("learning steps must be positive", "e.g. 1m 10m")


def _encode(value: object) -> Any:
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def load(session: Session) -> Settings:
    rows = session.execute(select(Setting.key, Setting.value))
    stored = {key: json.loads(value) for key, value in rows}
    defaults = Settings()
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Settings):
        if field.name not in stored:
            continue
        raw = stored[field.name]
        default = getattr(defaults, field.name)
        if isinstance(default, tuple):
            values[field.name] = tuple(timedelta(seconds=float(s)) for s in raw)
        else:
            values[field.name] = type(default)(raw)
    return Settings(**values)


def save(session: Session, settings: Settings) -> None:
    validate(settings)
    existing = {row.key: row for row in session.scalars(select(Setting))}
    for field in dataclasses.fields(Settings):
        value = json.dumps(_encode(getattr(settings, field.name)))
        if field.name in existing:
            existing[field.name].value = value
        else:
            session.add(Setting(key=field.name, value=value))


def current_parameters(session: Session) -> FsrsParameters | None:
    """The newest parameters the optimizer kept, or None for fsrs' defaults."""
    newest = select(FsrsParameters).order_by(FsrsParameters.id.desc()).limit(1)
    return session.scalars(newest).first()


def save_parameters(
    session: Session,
    parameters: list[float],
    *,
    fitted_at: datetime,
    reviews: int,
    log_loss: float | None,
    rmse_bins: float | None,
    method: str,
) -> None:
    """Store parameters; the scores are None for parameters given rather than fitted."""
    session.add(
        FsrsParameters(
            parameters=json.dumps(parameters),
            fitted_at=fitted_at,
            reviews=reviews,
            log_loss=log_loss,
            rmse_bins=rmse_bins,
            method=method,
        )
    )
