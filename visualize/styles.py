"""How each ontology class looks in a view: colour, vis-network shape and its name in ar and en.

Only shapes that vis-network scales by a node's ``value`` are used, so the size-by-metric
option works for every class.
"""

from __future__ import annotations

#: class local name -> (colour, shape, English name, Arabic name); the order is most specific
#: first, which is how a thing typed with several classes (after inference) picks one.
CLASS_STYLES: dict[str, tuple[str, str, str, str]] = {
    "BilateralAgreement": ("#e6550d", "star", "Bilateral agreement", "اتفاقية ثنائية"),
    "MultilateralAgreement": ("#a63603", "star", "Multilateral agreement", "اتفاقية متعددة الأطراف"),
    "JointStatement": ("#fd8d3c", "star", "Joint statement", "بيان مشترك"),
    "Declaration": ("#fdae6b", "star", "Declaration", "إعلان"),
    "Plan": ("#d6616b", "star", "Plan", "خطة"),
    "Convention": ("#843c39", "star", "Convention", "اتفاقية دولية"),
    "Agreement": ("#e6550d", "star", "Agreement", "اتفاقية"),
    "Instrument": ("#f16913", "star", "Instrument", "وثيقة"),
    "State": ("#3182bd", "dot", "State", "دولة"),
    "InternationalOrganization": ("#31a354", "square", "International organization", "منظمة دولية"),
    "Forum": ("#74c476", "hexagon", "Forum", "منتدى"),
    "Organization": ("#006d2c", "square", "Organization", "منظمة"),
    "Person": ("#756bb1", "triangle", "Person", "شخص"),
    "Place": ("#9e9ac8", "triangleDown", "Place", "مكان"),
    "Event": ("#e7298a", "diamond", "Event", "حدث"),
    "Principle": ("#17becf", "dot", "Principle", "مبدأ"),
    "Topic": ("#bcbd22", "dot", "Topic", "موضوع"),
    "Actor": ("#6baed6", "dot", "Actor", "فاعل"),
}

#: The style of anything whose class the view does not know.
OTHER_STYLE = ("#969696", "dot", "Other", "غير ذلك")

#: relation local name -> (English, Arabic), for edge tooltips.
RELATION_NAMES: dict[str, tuple[str, str]] = {
    "partyTo": ("party to", "طرف في"),
    "signed": ("signed", "وقّع"),
    "adoptedAt": ("adopted at", "اعتُمد في"),
    "memberOf": ("member of", "عضو في"),
    "hosts": ("hosts", "يستضيف"),
    "promotesPrinciple": ("promotes", "يعزز"),
    "concernsTopic": ("concerns", "يتعلق بـ"),
    "sharedInstrument": ("shared instruments", "وثائق مشتركة"),
}


def most_specific(classes) -> str:
    """The class (local name) a node is drawn as: the most specific known one, else any.

    Parameters
    ----------
    classes : iterable of str
        Class local names.

    Returns
    -------
    str

    Examples
    --------
    >>> most_specific({"Agreement", "Instrument", "BilateralAgreement"})
    'BilateralAgreement'
    >>> most_specific({"Actor", "State"})
    'State'
    >>> most_specific(set())
    'Other'
    """
    for name in CLASS_STYLES:
        if name in classes:
            return name
    return min(classes) if classes else "Other"


def style_of(class_name: str) -> tuple[str, str, str, str]:
    """(colour, shape, English name, Arabic name) of a class local name.

    Parameters
    ----------
    class_name : str
        A class local name.

    Returns
    -------
    tuple of (str, str, str, str)
        Colour, vis-network shape, English name, Arabic name; a grey dot for unknown classes.

    Examples
    --------
    >>> style_of("JointStatement")[1:3]
    ('star', 'Joint statement')
    """
    if class_name in CLASS_STYLES:
        return CLASS_STYLES[class_name]
    if class_name == "Other":
        return OTHER_STYLE
    return (OTHER_STYLE[0], OTHER_STYLE[1], class_name, class_name)

#: view name -> (English title, Arabic title) shown at the top of the page.
VIEW_TITLES: dict[str, tuple[str, str]] = {
    "cooperation": ("State cooperation: shared instruments", "تعاون الدول: الوثائق المشتركة"),
    "membership": ("Actors, organizations and forums", "الفاعلون والمنظمات والمنتديات"),
    "instruments": ("Instruments: parties, events, principles, topics", "الوثائق: الأطراف والأحداث والمبادئ والمواضيع"),
    "principles": ("Principles and who promotes them", "المبادئ ومن يعززها"),
}
