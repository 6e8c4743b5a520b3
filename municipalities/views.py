from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from core.filenames import file_name, set_disposition
from core.permissions import permission_required
from core.refusals import DomainRefusedError, show_refusal

from . import services
from .enums import RuleSetStatus
from .forms import CompareForm, DraftEditForm, ImportForm, UnitHeadForm
from .models import Municipality, OrganisationalUnit, RuleSetVersion
from .rulebook.presentation import stages_in_order
from .rulebook.validation import RuleSetInvalidError


def visible_municipality(request, slug, **_url):
    """The municipality of the URL, if the user may see it; another tenant's is 'not found', not
    'forbidden'. The object a page of one municipality declares its permission about."""
    return get_object_or_404(Municipality.objects.visible_to(request.user), slug=slug)


# The rule-set admin's pages: the municipality is fetched once, by the permission.
administers = permission_required(
    "municipalities.administer",
    fn=visible_municipality,
    message=gettext_lazy("Bara kommunens administratör får ändra regelverket."),
    given_as="municipality",
)


def _history_of(versions):
    return (
        AuditEntry.objects.filter(
            content_type__app_label="municipalities",
            content_type__model="rulesetversion",
            object_id__in=[str(v.pk) for v in versions],
        )
        .select_related("actor")
        .order_by("-at", "-id")[:50]
    )


@login_required
def municipality_list(request):
    municipalities = Municipality.objects.visible_to(request.user)
    if not request.user.has_perm("municipalities.view_all") and len(municipalities) == 1:
        return redirect("municipalities:ruleset", municipalities[0].slug)
    return render(request, "municipalities/municipality_list.html", {"municipalities": municipalities})


@login_required
@permission_required(
    "municipalities.view_ruleset",
    fn=visible_municipality,
    message=gettext_lazy("Regelverket visas för kommunens egna användare."),
    given_as="municipality",
)
def ruleset_detail(request, slug, municipality):
    versions = municipality.ruleset_versions.all()
    number = request.GET.get("version")
    if number and number.isdigit():
        version = get_object_or_404(versions, number=int(number))
    else:
        version = versions.filter(status=RuleSetStatus.ACTIVE).first() or versions.first()
    if version is None:
        raise Http404(_("Kommunen har inget regelverk än."))
    return render(
        request,
        "municipalities/ruleset_detail.html",
        {
            "municipality": municipality,
            "version": version,
            "stages": stages_in_order(version.rules),
            # The version's history, for those who administer it (the page asks the same permission).
            "history": _history_of([version])
            if request.user.has_perm("municipalities.administer", municipality)
            else None,
        },
    )


@login_required
@administers
def version_list(request, slug, municipality):
    versions = list(municipality.ruleset_versions.select_related("created_by"))
    import_form = ImportForm()
    if request.method == "POST":
        import_form = ImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            document = import_form.cleaned_data["file"]
            if document["municipality"]["slug"] != municipality.slug:
                import_form.add_error(
                    "file",
                    _("Filen gäller %(other)s, inte %(slug)s (municipality.slug).")
                    % {"other": document["municipality"]["slug"], "slug": municipality.slug},
                )
            else:
                version, created = services.import_ruleset(
                    document, user=request.user, note=import_form.cleaned_data["note"]
                )
                if created:
                    messages.success(request, _("Importerat som utkast, version %(n)s.") % {"n": version.number})
                else:
                    messages.info(
                        request, _("Filen är identisk med version %(n)s; inget ändrades.") % {"n": version.number}
                    )
                return redirect("municipalities:versions", slug)
    return render(
        request,
        "municipalities/version_list.html",
        {
            "municipality": municipality,
            "versions": versions,
            "import_form": import_form,
            "compare_form": CompareForm(),
            "history": _history_of(versions),
        },
    )


def _version(municipality, number):
    return get_object_or_404(RuleSetVersion, municipality=municipality, number=number)


@login_required
@administers
def version_export(request, slug, number, municipality):
    version = _version(municipality, number)
    response = HttpResponse(services.export_ruleset(municipality, version.number), content_type="application/json")
    return set_disposition(response, file_name("regelverk", slug, f"v{version.number}", extension="json"))


@login_required
@require_POST
@administers
def version_new_draft(request, slug, number, municipality):
    draft = services.create_draft(_version(municipality, number), user=request.user)
    messages.success(request, _("Utkast version %(n)s skapat.") % {"n": draft.number})
    return redirect("municipalities:edit", slug, draft.number)


@login_required
@require_POST
@administers
def version_activate(request, slug, number, municipality):
    version = _version(municipality, number)
    try:
        services.activate_version(version, user=request.user, reason=request.POST.get("reason", ""))
    except (DomainRefusedError, RuleSetInvalidError) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Version %(n)s gäller nu.") % {"n": version.number})
    return redirect("municipalities:versions", slug)


@login_required
@administers
def version_edit(request, slug, number, municipality):
    version = _version(municipality, number)
    if not version.is_editable:
        messages.error(request, _("Versionen används eller är fastställd och kan bara ersättas av en ny version."))
        return redirect("municipalities:versions", slug)
    form = DraftEditForm(request.POST or None, initial={"document": version.document, "note": version.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(
                version, form.cleaned_data["document"], user=request.user, note=form.cleaned_data["note"]
            )
        except RuleSetInvalidError as error:
            form.add_error("document", [str(problem) for problem in error.problems])
        except DomainRefusedError as refusal:
            show_refusal(form, refusal, NON_FIELD_ERRORS)
        else:
            messages.success(request, _("Utkastet är sparat."))
            return redirect("municipalities:versions", slug)
    return render(
        request, "municipalities/version_edit.html", {"municipality": municipality, "version": version, "form": form}
    )


@login_required
@administers
def version_compare(request, slug, municipality):
    form = CompareForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Välj två versioner att jämföra."))
        return redirect("municipalities:versions", slug)
    old = _version(municipality, form.cleaned_data["a"])
    new = _version(municipality, form.cleaned_data["b"])
    return render(
        request,
        "municipalities/version_compare.html",
        {
            "municipality": municipality,
            "old": old,
            "new": new,
            "changes": services.diff_documents(old.document, new.document),
        },
    )


@login_required
@administers
def unit_list(request, slug, municipality):
    """The municipality's units with the head and deputies who sign for each."""
    units = municipality.units.select_related("head", "parent").prefetch_related("deputies").order_by("name")
    history = (
        AuditEntry.objects.filter(
            content_type__app_label="municipalities",
            content_type__model="organisationalunit",
            object_id__in=[str(unit.pk) for unit in units],
        )
        .select_related("actor")
        .order_by("-at", "-id")[:50]
    )
    return render(
        request, "municipalities/unit_list.html", {"municipality": municipality, "units": units, "history": history}
    )


@login_required
@administers
def unit_head(request, slug, unit_id, municipality):
    """Designate a unit's head and deputies. Another municipality's unit is 'not found'."""
    unit = get_object_or_404(OrganisationalUnit, pk=unit_id, municipality=municipality)
    initial = {"head": unit.head, "deputies": list(unit.deputies.all())}
    form = UnitHeadForm(request.POST or None, initial=initial, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.designate_unit_head(
                unit, request.user, head=form.cleaned_data["head"], deputies=form.cleaned_data["deputies"]
            )
        except DomainRefusedError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, _("Chef och ersättare för %(unit)s är sparade.") % {"unit": unit.name})
            return redirect("municipalities:units", slug)
    return render(request, "municipalities/unit_head.html", {"municipality": municipality, "unit": unit, "form": form})
