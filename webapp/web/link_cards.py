"""Cards: the picture a chat app or a social site shows beside a pasted link to a public
page (og:image), drawn for the page from its words: a title, a few lines under it (when
and where), and what it belongs to, on the site's colours with its logo.

Drawn with Pillow in DejaVu Sans (fonts/, its licence beside it), which writes Latin,
Greek, Cyrillic, Hebrew, Arabic and more, right to left where a line is, with Pillow's
text layout. A letter the font lacks would come out as a box: `can_draw` says whether
every letter of a page's words is there, and a page whose words it cannot draw keeps the
site's icon. Pictures the font lacks (emoji) are left out of the card."""

import functools
import io
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = "#00613f"
TITLE_COLOUR = "#ffffff"
LINE_COLOUR = "#d9f2e6"
FIRST_LINE_COLOUR = "#ffd166"
LOGO_SIZE = 80
SITE_NAME = "Hearth"
# The title's sizes, largest first, and the lines it may take at each.
TITLE_SIZES = ((72, 2), (56, 3))
LINE_SIZE = 38
FOOTER_SIZE = 34

_FONTS = Path(__file__).parent / "fonts"
_LOGO = Path(__file__).parents[2] / "static" / "img" / "icon-512.png"
# Left out of a card when the font lacks them, whatever their kind: what joins or
# varies a picture (an emoji's zero-width joiner, its variation selectors).
_JOINERS = {"\u200d", *map(chr, range(0xFE00, 0xFE10))}
ELLIPSIS = "…"


@functools.cache
def _font(bold, size):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(_FONTS / name), size)


@functools.cache
def _unshaped_font():
    return ImageFont.truetype(
        str(_FONTS / "DejaVuSans.ttf"), 24, layout_engine=ImageFont.Layout.BASIC
    )


# Bounded: a page's words may hold any of Unicode's characters.
@functools.lru_cache(maxsize=4096)
def _shape_of(character):
    """The character's glyph as the font draws it alone, laid out simply (no shaping)."""
    mask = _unshaped_font().getmask(character)
    return mask.size, bytes(mask)


def _has_glyph(character):
    # A character the font lacks is drawn as its "missing" glyph: the same as a
    # private-use character's, which no font of ours holds.
    return _shape_of(character) != _shape_of("\ue000")


def _droppable(character):
    """A picture, a joiner or a control the card may leave out."""
    kind = unicodedata.category(character)
    return kind.startswith(("S", "C")) or character in _JOINERS


def drawable(text):
    """text as a card writes it: what the font lacks and may be left out, left out."""
    kept = "".join(
        character
        for character in text
        if character.isspace() or _has_glyph(character) or not _droppable(character)
    )
    return " ".join(kept.split())


def can_draw(*texts):
    """Whether the font holds every letter, number and mark of texts."""
    return all(
        _has_glyph(character) or _droppable(character)
        for character in "".join(texts)
        if not character.isspace()
    )


def _right_to_left(text):
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _shortened(text, font, width, cut=False):
    """text, cut with an ellipsis to fit width (and with one anyway when cut)."""
    if not cut and font.getlength(text) <= width:
        return text
    while text and font.getlength(text + ELLIPSIS) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _wrapped(text, font, width, most):
    """text in at most `most` lines of width (a word longer than a line broken where it
    must), the last cut with an ellipsis when more is left; None when it takes more."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:
            cut = len(word)
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    if len(lines) <= most:
        return lines
    return None


def _title_lines(title):
    width = WIDTH - 2 * MARGIN
    for size, most in TITLE_SIZES:
        font = _font(True, size)
        if (lines := _wrapped(title, font, width, most)) is not None:
            return font, lines
    size, most = TITLE_SIZES[-1]
    font = _font(True, size)
    lines = _wrapped(title, font, width, len(title))[:most]
    lines[-1] = _shortened(lines[-1], font, width, cut=True)
    return font, lines


def _write(draw, y, text, font, colour):
    """One line at y, from the left margin, or from the right one when it reads right to
    left; the y of the next line."""
    if _right_to_left(text):
        draw.text((WIDTH - MARGIN, y), text, font=font, fill=colour, anchor="ra")
    else:
        draw.text((MARGIN, y), text, font=font, fill=colour)
    return y + _height(font)


def _height(font):
    ascent, descent = font.getmetrics()
    return ascent + descent


@functools.cache
def _logo():
    with Image.open(_LOGO) as logo:
        return logo.convert("RGBA").resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)


def draw_card(title, lines=(), footer=""):
    """A WIDTH x HEIGHT PNG (bytes): the logo and the site's name, title in large letters,
    each of lines on one line under it (the first in the accent colour), footer at the
    foot."""
    card = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(card)
    card.paste(_logo(), (MARGIN, MARGIN - 16), _logo())
    site_font = _font(True, 40)
    draw.text(
        (MARGIN + LOGO_SIZE + 24, MARGIN - 16 + LOGO_SIZE // 2),
        SITE_NAME,
        font=site_font,
        fill=TITLE_COLOUR,
        anchor="lm",
    )
    width = WIDTH - 2 * MARGIN
    y = MARGIN + LOGO_SIZE + 36
    title_font, title_lines = _title_lines(drawable(title) or SITE_NAME)
    for line in title_lines:
        y = _write(draw, y, line, title_font, TITLE_COLOUR)
    footer = drawable(footer)
    footer_font = _font(True, FOOTER_SIZE)
    footer_top = HEIGHT - MARGIN - _height(footer_font)
    y += 16
    line_font = _font(False, LINE_SIZE)
    for number, line in enumerate(filter(None, map(drawable, lines))):
        # The lines stop where the footer's space begins.
        if y + _height(line_font) > footer_top - 16:
            break
        colour = FIRST_LINE_COLOUR if number == 0 else LINE_COLOUR
        y = _write(draw, y, _shortened(line, line_font, width), line_font, colour)
    if footer:
        _write(draw, footer_top, _shortened(footer, footer_font, width), footer_font, LINE_COLOUR)
    written = io.BytesIO()
    card.save(written, "PNG", optimize=True)
    return written.getvalue()
