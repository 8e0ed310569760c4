"""Reads about parties' relations: each relation read from either side, and the whole
family or company group a party belongs to."""
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.crm.choices import RELATION_INVERSE, RelationKind
from apps.crm.models import Party, PartyRelation

# How a relation reads from its `to_party` when the kind has no inverse kind of its own.
INVERSE_LABELS = {
    RelationKind.EMPLOYEE: gettext_lazy("Empleador/a de"),
    RelationKind.ADMINISTRATOR: gettext_lazy("Administrada por"),
    RelationKind.PARTNER: gettext_lazy("Sociedad participada por"),
}

GROUP_LIMIT = 50


def relation_label(relation: PartyRelation, seen_from: Party | int) -> str:
    """"Cónyuge o pareja de", "Hijo/a de", "Empleador/a de"…: the relation as `seen_from` reads it."""
    seen_from_pk = getattr(seen_from, "pk", seen_from)
    kind = RelationKind(relation.kind)
    if relation.from_party_id == seen_from_pk:
        return kind.label
    inverse = RELATION_INVERSE.get(kind)
    return str(inverse.label if inverse else INVERSE_LABELS[kind])


def relation_sentence(relation: PartyRelation, seen_from: Party | int) -> str:
    """"Ana Ruiz es cónyuge o pareja de Luis Gil", told from `seen_from`'s side."""
    seen_from_pk = getattr(seen_from, "pk", seen_from)
    me, other = ((relation.from_party, relation.to_party) if relation.from_party_id == seen_from_pk
                 else (relation.to_party, relation.from_party))
    return _("%(me)s es %(label)s %(other)s") % {
        "me": me, "label": relation_label(relation, seen_from_pk).lower(), "other": other}


@dataclass
class RelatedParty:
    relation: PartyRelation
    other: Party
    label: str


def party_relations(party: Party) -> list[RelatedParty]:
    """Every relation of the party, both directions, each read from the party's side (one query)."""
    relations = (PartyRelation.objects.filter(Q(from_party=party) | Q(to_party=party))
                 .select_related("from_party", "to_party").order_by("kind", "pk"))
    return [RelatedParty(r, r.to_party if r.from_party_id == party.pk else r.from_party, relation_label(r, party))
            for r in relations]


@dataclass
class GroupMember:
    party: Party
    depth: int
    # How this member was reached: "<label> <previous member>".
    via: str = ""


@dataclass
class GroupLink:
    relation: PartyRelation
    from_party: Party
    to_party: Party
    label: str


@dataclass
class PartyGroup:
    root: Party
    members: list[GroupMember] = field(default_factory=list)
    links: list[GroupLink] = field(default_factory=list)
    truncated: bool = False

    def __len__(self):
        return len(self.members)


def party_group(party: Party, *, limit: int = GROUP_LIMIT) -> PartyGroup:
    """The family or company group around `party`: everyone reachable through relations, breadth
    first, at most `limit` parties (one query per level), with every relation among them."""
    group = PartyGroup(root=party)
    members = {party.pk: GroupMember(party, 0)}
    relations = {}
    frontier, depth = [party.pk], 0
    while frontier:
        depth += 1
        found = (PartyRelation.objects.filter(Q(from_party_id__in=frontier) | Q(to_party_id__in=frontier))
                 .select_related("from_party", "to_party").order_by("pk"))
        frontier = []
        for relation in found:
            relations[relation.pk] = relation
            for known, new in ((relation.from_party, relation.to_party), (relation.to_party, relation.from_party)):
                if known.pk in members and new.pk not in members:
                    if len(members) >= limit:
                        group.truncated = True
                        continue
                    members[new.pk] = GroupMember(new, depth, f"{relation_label(relation, new).lower()} {known}")
                    frontier.append(new.pk)
    group.members = sorted(members.values(), key=lambda m: (m.depth, m.party.display_name.lower(), m.party.pk))
    group.links = [GroupLink(r, r.from_party, r.to_party, RelationKind(r.kind).label)
                   for r in relations.values() if r.from_party_id in members and r.to_party_id in members]
    return group
