"""The "Edit this page" link: shown only where the repository is known.

The repository's address comes from the environment, as the site's own does
(SITE_URL): `repo_url: !ENV [REPO_URL, null]` in mkdocs.yml. The publishing
workflow sets it to the repository it runs in; a local build, or a copy that
has not said where it lives, leaves it unset. Then the site names no repository
and no page has an edit link: MkDocs would otherwise join `edit_uri`
(edit/main/docs/) to nothing, so every page would link to a path that does not
exist, and warn that it is not a URL. tests/site/test_built_site.py builds both ways.
"""


def on_config(config):
    if not config.repo_url:
        config.repo_url = config.edit_uri = config.edit_uri_template = None
    return config
