"""Generic StreamField blocks shared by every page type (no raw HTML)."""

import copy

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from . import localize
from .choices import ProjectArea

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
        label=_("Level"),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        preview_value = {"text": "Come iscriversi", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=200,
        help_text=_(
            "Describe what the image shows for people who cannot see it. "
            "Leave empty only if the image is purely decorative."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("Purely decorative"),
        required=False,
        help_text=_("Tick only if the image adds no information to the page."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("alt_text") and not value.get("decorative"):
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _("Write an alternative text, or tick 'Purely decorative'.")
                    )
                }
            )
        return value

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=50)
    page = blocks.PageChooserBlock(label=_("Page on this site"), required=False)
    url = blocks.URLBlock(label=_("Or an external address"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose a page on this site or write an external address (one of the two).")
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(message), "url": ValidationError(message)}
            )
        return value

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "blocks/call_to_action_block.html"
        preview_value = {
            "title": "Iscriviti a un corso",
            "text": "Corsi gratuiti vicino a te.",
            "button_label": "Vedi i corsi",
            "url": "https://example.org/",
        }


class DocumentListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Document")), label=_("Documents"))

    class Meta:
        icon = "doc-full"
        label = _("Documents to download")
        template = "blocks/document_list_block.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), required=False, max_length=120, default=_("Frequently asked questions")
    )
    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "blocks/faq_block.html"
        preview_value = {
            "heading": "Domande frequenti",
            "items": [{"question": "I corsi sono gratuiti?", "answer": "<p>Quasi tutti sì.</p>"}],
        }


class BodyBlock(blocks.StreamBlock):
    """The body of standard pages and of the descriptive parts of other pages."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        label=_("Paragraph"),
        template="blocks/paragraph_block.html",
        preview_value="<p>Un percorso per ripensare la propria professionalità.</p>",
    )
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    documents = DocumentListBlock()
    faq = FAQBlock()


class ReadPageChooserBlock(blocks.PageChooserBlock):
    """A page chooser whose pages, when the home page's template read them
    already (``localize_chosen_pages``, home/localize.py), are not read
    again: the same pages Wagtail's would give, or None, as it would, for a
    page that is gone or of another type. Saved and migrated as Wagtail's."""

    canonical_module_path = "wagtail.blocks.PageChooserBlock"

    def bulk_to_python(self, values):
        values = list(values)
        answers = [localize.chosen_page(pk) for pk in values]
        if not all(read for read, _page in answers):
            return super().bulk_to_python(values)
        result, seen = [], set()
        for pk, (_read, page) in zip(values, answers, strict=True):
            if page is not None and not isinstance(page, self.model_class):
                page = None
            if page is not None and pk in seen:
                page = copy.copy(page)
            result.append(page)
            seen.add(pk)
        return result


class AreaBlock(blocks.StructBlock):
    """One of the project's four areas, as shown on the home page."""

    area = blocks.ChoiceBlock(choices=ProjectArea.choices, label=_("Area"))
    title = blocks.CharBlock(label=_("Title"), max_length=80)
    text = blocks.TextBlock(label=_("Short text"), max_length=300)
    page = ReadPageChooserBlock(
        label=_("Page about this area"), required=False, target_model="home.StandardPage"
    )

    class Meta:
        icon = "group"
        label = _("Project area")
        template = "blocks/area_block.html"


class FeaturedPagesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    pages = blocks.ListBlock(ReadPageChooserBlock(), label=_("Pages"), max_num=6)

    class Meta:
        icon = "list-ul"
        label = _("Featured pages")
        template = "blocks/featured_pages_block.html"


class HomeBlock(blocks.StreamBlock):
    featured_pages = FeaturedPagesBlock()
    call_to_action = CallToActionBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        label=_("Paragraph"),
        template="blocks/paragraph_block.html",
    )
