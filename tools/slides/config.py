# nbconvert settings for the decks (README, "Slides for class"):
#     jupyter nbconvert --config tools/slides/config.py notebooks/*.ipynb
# Decks go to slides/, with reveal.js and MathJax beside them in slides/lib/ (offline_assets.py), so
# they open from the file system with no network. The small template in lab02/ loads only those.
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)        # this folder's offline_assets module, for nbconvert's writer_class

import offline_assets  # noqa: E402

if offline_assets.missing_assets():
    sys.exit(offline_assets.INSTALL_HINT)   # a clear message, not a deck that needs a CDN

c = get_config()  # noqa: F821  (nbconvert passes it in)
c.NbConvertApp.export_format = "slides"
c.NbConvertApp.writer_class = "offline_assets.OfflineDeckWriter"
c.FilesWriter.build_directory = "slides"
c.TemplateExporter.extra_template_basedirs = [HERE]
c.TemplateExporter.template_name = "lab02"
c.TemplateExporter.exclude_input_prompt = True
c.TemplateExporter.exclude_output_prompt = True
c.SlidesExporter.reveal_url_prefix = offline_assets.REVEAL_PREFIX
c.SlidesExporter.reveal_theme = "white"
c.HTMLExporter.mathjax_url = offline_assets.MATHJAX_URL
c.SlidesExporter.reveal_width = "1200"
c.SlidesExporter.reveal_height = "900"
c.SlidesExporter.reveal_transition = "none"
c.SlidesExporter.reveal_number = "c/t"
c.SlidesExporter.reveal_scroll = True
