"""hooks/diagrams.py: a diagram published as an image: its files and its alt text."""

from diagrams import images, text_alternative


def test_alt_text_is_the_authors_title_and_description():
    svg = ('<svg id="dia-1" aria-roledescription="flowchart-v2"><title id="t">Retry loop</title>'
           '<desc id="d">A call fails, waits, and is tried again.</desc><g class="nodes"><span>Call</span></g></svg>')
    assert text_alternative(svg) == "Retry loop. A call fails, waits, and is tried again."


def test_alt_text_without_them_is_the_kind_then_node_labels_then_edge_labels():
    svg = ('<svg id="dia-2" aria-roledescription="flowchart-v2"><style>#dia-2 .x{fill:red}</style>'
           '<g class="edgeLabels"><span>on failure</span></g>'
           '<g class="nodes"><span class="p">Client</span><span class="p">Server &amp; cache</span></g></svg>')
    assert text_alternative(svg) == "Flowchart: Client; Server & cache; on failure"


def test_alt_text_names_each_label_once():
    """A sequence diagram draws each participant at the top and at the bottom."""
    svg = ('<svg id="dia-3" aria-roledescription="sequence"><text>Client</text><text>Server</text>'
           '<text>request</text><text>Client</text><text>Server</text></svg>')
    assert text_alternative(svg) == "Sequence diagram: Client; Server; request"


def test_images_name_the_files_they_show_and_return_them():
    light = '<svg id="dia-4" aria-roledescription="flowchart-v2"><title>Retry</title></svg>'
    dark = '<svg id="dia-4-dark" aria-roledescription="flowchart-v2"><title>Retry</title></svg>'
    tags, files = images("abc123", light, dark, "component/raft/")
    assert files == {"abc123.svg": light, "abc123-dark.svg": dark}
    assert tags == ('<img class="diagram__light" src="../../assets/diagrams/abc123.svg" alt="Retry" '
                    'loading="lazy" decoding="async">'
                    '<img class="diagram__dark" src="../../assets/diagrams/abc123-dark.svg" alt="Retry" '
                    'loading="lazy" decoding="async">')
