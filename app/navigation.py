"""The menus every page carries, kept rendered in-process (app/fragments.py) like the post
blocks: the main menu of a logged-in reader and the space menu. Each is keyed by everything
it shows — the path prefix, the locale, the current page, the links the reader may follow
(app/policy/navigation.py), the unread and open-case counts, the space's slug and name — so
a change makes a new key and no process ever serves a stale menu (issue 12). The permission
checks run once per request here instead of once per link in the template."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from app import policy
from app.fragments import TOKEN, BlockCache
from app.notify.queries import unread_count


# Small strings (about 3 kB): every space × role × page × locale fits many times over.
menus = BlockCache(2048)


def site_menu(actor) -> Markup:
    """The main menu (My groups, Notifications with the unread count, Account, Log out)."""
    unread = unread_count(actor)
    administers = policy.can_administer_platform(actor)
    current = "notify.index" if request.endpoint == "notify.index" else None
    key = ("site", request.script_root, str(get_locale()), current, administers, unread)
    html = menus.get(key)
    if html is None:
        html = render_template("_site_menu.html", unread=unread, administers=administers,
                               current=current, token=TOKEN)
        menus.put(key, html)
    return Markup(html)  # the token: app/fragments.splice_response


def space_menu(actor, space) -> Markup:
    """The space menu: the space's name and the links of its parts this reader may follow."""
    menu = policy.space_menu(actor, space)
    endpoint = request.endpoint
    key = ("space", request.script_root, str(get_locale()), endpoint, space.id, space.slug,
           space.name, space.open_case_count, menu)
    html = menus.get(key)
    if html is None:
        html = render_template("_space_menu.html", space=space, menu=menu, endpoint=endpoint)
        menus.put(key, html)
    return Markup(html)
