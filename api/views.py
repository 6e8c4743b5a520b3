"""The read API: read-only viewsets, each scoped to the token's municipality in one place
(MunicipalityScopedViewSet.get_queryset)."""

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from applications.enums import STAGE_OF_STATE, CaseState
from applications.models import Case
from decisions.models import Decision, DecisionKind, DecisionLine
from evaluation.models import Indicator
from funds.enums import EntryKind
from funds.models import LedgerEntry
from municipalities.rulebook.enums import ObligationKind
from reporting.models import ObligationStatus, ReportingObligation

from . import filters, serializers


class ApiPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    # Django's paginator gives the reason ("Sidan innehåller inga resultat"), in Swedish.
    invalid_page_message = _("Sidan ”{page_number}” finns inte: {message}")

    def get_page_size(self, request):
        """A page size that is not a whole number from 1 to ``max_page_size`` is a 400, not a guess."""
        if self.page_size_query_param in request.query_params:
            return filters.integer(request.query_params, self.page_size_query_param, 1, self.max_page_size)
        return self.page_size


def _param(name, description, type_=str, enum=None):
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description, enum=enum)


CASE_PARAM = _param("case", "Ärendets id.", int)
YEAR_PARAM = _param("year", "År, 2000–2100.", int)
ID_PARAM = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Radens id.")


class MunicipalityScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """Every row served comes from `scoped(client)`, the token's municipality; a municipality in the
    query string is never read. Another municipality's id is therefore a 404, like an id that does
    not exist."""

    pagination_class = ApiPagination

    def get_object(self):
        if not str(self.kwargs.get(self.lookup_field, "")).isdigit():
            raise NotFound(_("Id ska vara ett positivt heltal."))
        return super().get_object()

    def scoped(self, client):
        raise NotImplementedError

    def filtered(self, queryset, params):
        return queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no rows
            return self.get_serializer_class().Meta.model.objects.none()
        client = self.request.user
        queryset = self.scoped(client)
        if self.action == "list":
            queryset = self.filtered(queryset, self.request.query_params)
        return queryset


def granted_total_subquery():
    latest_grant = DecisionLine.objects.filter(case=OuterRef("pk")).grants()
    return Subquery(latest_grant.values("total_amount")[:1])


@extend_schema_view(
    list=extend_schema(
        summary="Ärenden",
        parameters=[
            _param("state", "Ärendets status.", enum=list(CaseState.values)),
            _param("stage", "Ärendets skede.", enum=sorted(set(STAGE_OF_STATE.values()))),
        ],
    ),
    retrieve=extend_schema(summary="Ett ärende", parameters=[ID_PARAM]),
)
class CaseViewSet(MunicipalityScopedViewSet):
    """Kommunens ärenden: status och skede, sökt belopp per år och beviljat belopp."""

    serializer_class = serializers.CaseSerializer

    def scoped(self, client):
        # Case.objects.visible_to is the one tenant scoping of cases; a token reads as staff.
        return (
            Case.objects.visible_to(client)
            .select_related("municipality", "applicant_unit")
            .prefetch_related("costs")
            .annotate(granted_total=granted_total_subquery())
            .order_by("id")
        )

    def filtered(self, queryset, params):
        state = filters.choice(params, "state", CaseState.values)
        if state:
            queryset = queryset.filter(state=state)
        stage = filters.choice(params, "stage", sorted(set(STAGE_OF_STATE.values())))
        if stage:
            queryset = queryset.filter(state__in=[s for s, st in STAGE_OF_STATE.items() if st == stage])
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Beslut",
        parameters=[_param("kind", "Beslutets slag.", enum=list(DecisionKind.values)), YEAR_PARAM, CASE_PARAM],
    ),
    retrieve=extend_schema(summary="Ett beslut", parameters=[ID_PARAM]),
)
class DecisionViewSet(MunicipalityScopedViewSet):
    """Beslutande organets beslut, med ärenden och belopp per år."""

    serializer_class = serializers.DecisionSerializer

    def scoped(self, client):
        lines = DecisionLine.objects.select_related("case").prefetch_related("years").order_by("id")
        return (
            Decision.objects.filter(municipality_id=client.municipality_id)
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("meeting_date", "id")
        )

    def filtered(self, queryset, params):
        kind = filters.choice(params, "kind", DecisionKind.values)
        if kind:
            queryset = queryset.filter(kind=kind)
        year = filters.year(params)
        if year:
            queryset = queryset.filter(meeting_date__year=year)
        case = filters.integer(params, "case")
        if case:
            queryset = queryset.filter(lines__case_id=case).distinct()
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Fondens huvudbok",
        parameters=[_param("kind", "Postens slag.", enum=list(EntryKind.values)), YEAR_PARAM, CASE_PARAM],
    ),
    retrieve=extend_schema(summary="En post i huvudboken", parameters=[ID_PARAM]),
)
class LedgerEntryViewSet(MunicipalityScopedViewSet):
    """Posterna i kommunens fond: avsättningar, anslag, åtaganden, utbetalningar med mera."""

    serializer_class = serializers.LedgerEntrySerializer

    def scoped(self, client):
        return (
            LedgerEntry.objects.filter(fund__municipality_id=client.municipality_id)
            .select_related("case")
            .order_by("entry_date", "id")
        )

    def filtered(self, queryset, params):
        kind = filters.choice(params, "kind", EntryKind.values)
        if kind:
            queryset = queryset.filter(kind=kind)
        year = filters.year(params)
        if year:
            queryset = queryset.filter(year=year)
        case = filters.integer(params, "case")
        if case:
            queryset = queryset.filter(case_id=case)
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Rapporteringsskyldigheter och rapporter",
        parameters=[
            _param("status", "Rapportens status.", enum=list(ObligationStatus.values)),
            _param("kind", "Rapportens slag.", enum=list(ObligationKind.values)),
            _param("due_from", "Ska lämnas senast, från och med (ÅÅÅÅ-MM-DD).", OpenApiTypes.DATE),
            _param("due_to", "Ska lämnas senast, till och med (ÅÅÅÅ-MM-DD).", OpenApiTypes.DATE),
            CASE_PARAM,
        ],
    ),
    retrieve=extend_schema(summary="En rapporteringsskyldighet", parameters=[ID_PARAM]),
)
class ReportViewSet(MunicipalityScopedViewSet):
    """Rapporteringsskyldigheter med status, sista dag, period och när rapporten lämnades och godkändes."""

    serializer_class = serializers.ReportSerializer

    def scoped(self, client):
        return (
            ReportingObligation.objects.filter(case__in=Case.objects.visible_to(client))
            .select_related("case", "report")
            .order_by("due_date", "id")
        )

    def filtered(self, queryset, params):
        status = filters.choice(params, "status", ObligationStatus.values)
        if status:
            queryset = queryset.filter(status=status)
        kind = filters.choice(params, "kind", ObligationKind.values)
        if kind:
            queryset = queryset.filter(kind=kind)
        due_from = filters.date(params, "due_from")
        if due_from:
            queryset = queryset.filter(due_date__gte=due_from)
        due_to = filters.date(params, "due_to")
        if due_to:
            queryset = queryset.filter(due_date__lte=due_to)
        case = filters.integer(params, "case")
        if case:
            queryset = queryset.filter(case_id=case)
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Indikatorer med mätvärden", parameters=[CASE_PARAM]),
    retrieve=extend_schema(summary="En indikator", parameters=[ID_PARAM]),
)
class IndicatorViewSet(MunicipalityScopedViewSet):
    """Mätplanernas indikatorer med uppmätta värden för målgrupp och jämförelsegrupp."""

    serializer_class = serializers.IndicatorSerializer

    def scoped(self, client):
        return (
            Indicator.objects.filter(plan__case__in=Case.objects.visible_to(client))
            .select_related("plan__case")
            .prefetch_related("values")
            .order_by("id")
        )

    def filtered(self, queryset, params):
        case = filters.integer(params, "case")
        if case:
            queryset = queryset.filter(plan__case_id=case)
        return queryset
