"""What the read API shows of each record. Money is a string decimal ("1500000.00")."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.enums import STAGE_OF_STATE
from applications.models import Case, CaseCost
from decisions.models import Decision, DecisionLine, DecisionYear
from evaluation.models import Indicator, IndicatorValue
from funds.models import LedgerEntry
from reporting.models import ObligationStatus, ReportingObligation


def money():
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True)


class CaseCostSerializer(serializers.ModelSerializer):
    amount = money()

    class Meta:
        model = CaseCost
        fields = ["year", "amount"]


class CaseSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    stage = serializers.SerializerMethodField()
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    applicant_unit = serializers.StringRelatedField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    asked_per_year = CaseCostSerializer(source="costs", many=True, read_only=True)
    granted_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True, allow_null=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "title",
            "state",
            "state_label",
            "stage",
            "municipality",
            "applicant_unit",
            "period_start",
            "period_end",
            "end_date",
            "asked_per_year",
            "granted_total",
        ]

    @extend_schema_field(serializers.CharField())
    def get_stage(self, case):
        return STAGE_OF_STATE.get(case.state, "")


class DecisionYearSerializer(serializers.ModelSerializer):
    amount = money()

    class Meta:
        model = DecisionYear
        fields = ["year", "amount"]


class DecisionLineSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    total_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True, allow_null=True
    )
    years = DecisionYearSerializer(many=True, read_only=True)

    class Meta:
        model = DecisionLine
        fields = ["case", "case_number", "total_amount", "years"]


class DecisionSerializer(serializers.ModelSerializer):
    paragraph_label = serializers.CharField(read_only=True, help_text="Paragrafen som protokollet skriver den: § 212.")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    lines = DecisionLineSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "body",
            "meeting_date",
            "paragraph",
            "paragraph_label",
            "kind",
            "kind_label",
            "conditions",
            "lines",
        ]


class LedgerEntrySerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="entry_date", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    amount = money()
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True, default=None)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "date",
            "year",
            "kind",
            "kind_label",
            "amount",
            "case",
            "case_number",
            "decision",
            "reference",
            "basis",
            "reverses",
        ]


class ReportSerializer(serializers.ModelSerializer):
    # The rule set's name of a fixed reporting date, else the kind's label in the request's language.
    name = serializers.CharField(source="display_name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    submitted_at = serializers.SerializerMethodField()
    accepted_at = serializers.SerializerMethodField()

    class Meta:
        model = ReportingObligation
        fields = [
            "id",
            "case",
            "case_number",
            "kind",
            "kind_label",
            "name",
            "status",
            "status_label",
            "period_start",
            "period_end",
            "due_date",
            "submitted_at",
            "accepted_at",
        ]

    @staticmethod
    def _report(obligation):
        return getattr(obligation, "report", None)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_submitted_at(self, obligation):
        report = self._report(obligation)
        if not report or not report.submitted_at:
            return None
        return serializers.DateTimeField().to_representation(report.submitted_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_accepted_at(self, obligation):
        report = self._report(obligation)
        if not report or not report.reviewed_at or obligation.status != ObligationStatus.ACCEPTED:
            return None
        return serializers.DateTimeField().to_representation(report.reviewed_at)


class IndicatorValueSerializer(serializers.ModelSerializer):
    value = money()

    class Meta:
        model = IndicatorValue
        fields = ["period", "group", "value"]


class IndicatorSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="plan.case_id", read_only=True)
    case_number = serializers.CharField(source="plan.case.number", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    baseline_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True, allow_null=True
    )
    target_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True, allow_null=True
    )
    values = IndicatorValueSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "case",
            "case_number",
            "name",
            "kind",
            "kind_label",
            "unit",
            "baseline_value",
            "baseline_date",
            "target_value",
            "values",
        ]
