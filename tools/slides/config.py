# nbconvert settings for the decks (README, "Slides for class"):
#     jupyter nbconvert --config tools/slides/config.py notebooks/*.ipynb
# Decks go to slides/, with reveal.js and MathJax beside them in slides/lib/ (lab02_tools.offline_decks),
# so they open from the file system with no network. The small template in lab02/ loads only those.
import os
import sys

from lab02_tools import offline_decks

HERE = os.path.dirname(os.path.abspath(__file__))

if offline_decks.missing_assets():
    sys.exit(offline_decks.INSTALL_HINT)   # a clear message, not a deck that needs a CDN

c = get_config()  # noqa: F821  (nbconvert passes it in)
c.NbConvertApp.export_format = "slides"
c.NbConvertApp.writer_class = "lab02_tools.offline_decks.OfflineDeckWriter"
c.FilesWriter.build_directory = "slides"
c.TemplateExporter.extra_template_basedirs = [HERE]
c.TemplateExporter.template_name = "lab02"
c.TemplateExporter.exclude_input_prompt = True
c.TemplateExporter.exclude_output_prompt = True
c.SlidesExporter.reveal_url_prefix = offline_decks.REVEAL_PREFIX
c.SlidesExporter.reveal_theme = "white"
c.HTMLExporter.mathjax_url = offline_decks.MATHJAX_URL
c.SlidesExporter.reveal_width = "1200"
c.SlidesExporter.reveal_height = "900"
c.SlidesExporter.reveal_transition = "none"
c.SlidesExporter.reveal_number = "c/t"
c.SlidesExporter.reveal_scroll = True
