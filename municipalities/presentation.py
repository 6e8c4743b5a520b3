"""Plain-Swedish labels for the codes a rule set uses, so pages never show raw keys."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.enums import Role

from .enums import ActorKind, UnitKind

STAGE_ORDER = [
    "idea",
    "application",
    "preparation",
    "decision",
    "start",
    "follow_up",
    "abort",
    "extension",
    "design_change",
    "implementation",
]
STAGE_NAMES = {
    "idea": _("Idéprövning"),
    "application": _("Ansökan"),
    "preparation": _("Beredning"),
    "decision": pgettext_lazy("stage", "Beslut"),
    "start": _("Projektstart"),
    "follow_up": _("Uppföljning"),
    "abort": _("Avbrott"),
    "extension": _("Förlängning"),
    "design_change": _("Ändrat upplägg"),
    "implementation": _("Implementering"),
}
STEP_ACTIONS = {
    "check": _("kontrollerar"),
    "position": _("tar ställning"),
    "comment": _("lämnar synpunkter"),
    "approve": _("godkänner"),
    "sign": _("skriver under"),
    "meeting": _("träffar sökande"),
    "plan": _("planerar"),
    "assess": _("bedömer"),
    "propose": _("föreslår"),
    "inform": _("informerar"),
}
COLLABORATION_REQUIREMENTS = {
    "required": _("Krav"),
    "desired": _("Önskvärt, inget krav"),
    "none": _("Inget krav"),
}
SIGNERS = {
    "affected_unit_heads": _("cheferna för alla berörda enheter"),
    "external_actor_heads": _("företrädarna för de externa aktörerna"),
    "applicant_unit_head": _("chefen för den sökande enheten"),
}
REPORT_KINDS = {
    "progress": _("lägesrapport"),
    "half_time": _("halvtidsuppföljning"),
    "yearly": _("årlig rapport"),
    "final": _("slutrapport"),
}
REPORT_SCHEDULES = {
    "fixed_dates": _("på fastställda datum varje år"),
    "yearly": _("en gång per år"),
    "project_year": _("efter varje projektår"),
    "half_time": _("vid projektets halvtid"),
    "end": _("vid projektets slut"),
    "continuous": _("löpande"),
}
FUND_HELD_IN = {
    "equity_reservation": _("reservering i eget kapital"),
    "yearly_budget": _("avsätts årligen i mål- och budgetprocessen"),
    "ks_funds": _("medel avsatta hos kommunstyrelsen"),
}
PAYOUT_MODELS = {
    "none": _("ingen särskild utbetalningsmodell"),
    "payout_plan": _("enligt en godkänd utbetalningsplan"),
    "budget_compensation": _("budgetkompensation för upparbetade kostnader"),
    "internal_grant": _("internt bidrag till mottagande verksamhet"),
}
CARRY_OVER_MODELS = {
    "none": _("inget sägs om överföring"),
    "rebudget_by_decision": _("outnyttjade medel kan ombudgeteras till nästa år genom beslut"),
    "freeze_and_request": _("outnyttjade medel fryses vid årets slut och hanteras i nämndens ombudgeteringsbegäran"),
}
REPAYMENT_MODELS = {
    "none": _("ingen återbetalning"),
    "plan": _("enligt en återbetalningsplan"),
    "savings_return": _("återföring av realiserade besparingar till fonden"),
}
COMPARISONS = {
    "control_group": _("kontrollgrupp"),
    "ordinary_practice": _("ordinarie arbetssätt"),
    "other_municipalities": _("andra kommuner"),
    "national_values": _("nationella värden"),
    "before_after": _("före/efter (svagast)"),
    "no_action": _("ingen åtgärd"),
}
CRITERION_KINDS = {"yes_no": _("ja/nej"), "score": _("betyg")}


def label(table_name, code):
    tables = {
        "role": dict(Role.choices),
        "unit_kind": dict(UnitKind.choices),
        "actor_kind": dict(ActorKind.choices),
        "stage": STAGE_NAMES,
        "action": STEP_ACTIONS,
        "collaboration": COLLABORATION_REQUIREMENTS,
        "signer": SIGNERS,
        "report_kind": REPORT_KINDS,
        "report_schedule": REPORT_SCHEDULES,
        "fund_held_in": FUND_HELD_IN,
        "payout_model": PAYOUT_MODELS,
        "carry_over_model": CARRY_OVER_MODELS,
        "repayment_model": REPAYMENT_MODELS,
        "comparison": COMPARISONS,
        "criterion_kind": CRITERION_KINDS,
    }
    return tables[table_name].get(code, code)


def role_name(document, role):
    """The municipality's own name for a role (e.g. 'Processgruppen'), or the generic label."""
    body = (document or {}).get("bodies", {}).get(role)
    return body["name"] if body else label("role", role)


def steps_for_roles(document, roles):
    """The steps of the rule set that the given roles act in, as (stage name, step) pairs."""
    stages = document["stages"]
    found = []
    for stage_key in ("idea", "preparation"):
        stage = stages[stage_key]
        if stage_key == "idea" and not stage["enabled"]:
            continue
        for step in stage.get("steps", []):
            if step["actor_role"] in roles:
                found.append((STAGE_NAMES[stage_key], step))
    return found


def stages_in_order(document):
    """The stages the rule set uses, in lifecycle order, as (key, name, config)."""
    stages = document["stages"]
    return [
        (key, STAGE_NAMES[key], stages[key])
        for key in STAGE_ORDER
        if stages.get(key, {"enabled": False}).get("enabled", True)
    ]
