"""The weekly activity chart, drawn by the server as inline SVG: no chart library, no script,
nothing from elsewhere. It is an image with a title and a description for screen readers;
the page carries the same figures as a table."""
from __future__ import annotations

from flask_babel import gettext as _, ngettext
from markupsafe import Markup

from app.dates import format_day, format_day_month

WIDTH, HEIGHT = 640, 220
TOP, BOTTOM, LEFT, RIGHT = 24, 40, 8, 8  # room for the figures above and the days below
GAP = 6


def _scale(weeks) -> int:
    """The top of the scale: the busiest week, at least 1 (an empty chart still draws)."""
    return max([1, *(week.posts for week in weeks)])


def week_label(week) -> str:
    return format_day_month(week.monday)


def week_summary(week) -> str:
    return _("Week of %(day)s: %(posts)s, %(writers)s",
             day=format_day(week.monday),
             posts=ngettext("%(num)d post", "%(num)d posts", week.posts),
             writers=ngettext("%(num)d person wrote", "%(num)d people wrote", week.writers))


def activity_chart(weeks, *, chart_id: str = "activity") -> Markup:
    """Bars of posts per week, each bar with its figure above and its Monday below."""
    top = _scale(weeks)
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(weeks))
    total = sum(week.posts for week in weeks)
    busiest = max(weeks, key=lambda w: w.posts, default=None)
    description = _("Posts per week over the last %(num)d weeks: %(total)d in all.",
                    num=len(weeks), total=total)
    if busiest is not None and busiest.posts:
        description += " " + _("The busiest week began on %(day)s (%(posts)d).",
                               day=format_day(busiest.monday), posts=busiest.posts)
    parts = [Markup(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="100%" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
    ).format(w=WIDTH, h=HEIGHT, id=chart_id, title=_("Activity per week"), desc=description)]
    baseline = HEIGHT - BOTTOM
    parts.append(Markup('<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="currentColor" '
                        'stroke-width="1"/>').format(x1=LEFT, x2=WIDTH - RIGHT, y=baseline))
    for n, week in enumerate(weeks):
        height = round(plot * week.posts / top, 1)
        x = round(LEFT + n * slot + GAP / 2, 1)
        width = round(slot - GAP, 1)
        middle = round(x + width / 2, 1)
        parts.append(Markup(
            '<g class="bar"><title>{summary}</title>'
            '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#2f6f62"/>'
            '<text x="{mid}" y="{label_y}" text-anchor="middle" font-size="12" '
            'fill="currentColor">{posts}</text>'
            '<text x="{mid}" y="{day_y}" text-anchor="middle" font-size="11" '
            'fill="currentColor">{day}</text></g>'
        ).format(summary=week_summary(week), x=x, y=round(baseline - height, 1), width=width,
                 height=height, mid=middle, label_y=round(baseline - height - 6, 1),
                 posts=week.posts, day_y=baseline + 16, day=week_label(week)))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
