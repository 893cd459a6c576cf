"""Team and account analyses over an audit: messages across reps, customer voice across accounts."""

from .inputs import KINDS, Statement

__all__ = ["KINDS", "Statement"]
