"""Team and account analyses over an audit: messages across reps, customer voice across accounts."""

from .inputs import KINDS, Statement
from .messages import Message, MessageAnalysis, analyse_messages, parse_messaging, read_messaging
from .report import FLAG_KINDS, Flag, TeamReport, analyze_team
from .voice import VoiceAnalysis, analyse_voice, effective_accounts, voice_kinds

__all__ = [
    "FLAG_KINDS",
    "KINDS",
    "Flag",
    "Message",
    "MessageAnalysis",
    "Statement",
    "TeamReport",
    "VoiceAnalysis",
    "analyse_messages",
    "analyse_voice",
    "analyze_team",
    "effective_accounts",
    "parse_messaging",
    "read_messaging",
    "voice_kinds",
]
