"""Rendering: the compendium in an edition's language, selections, and the HTML of the layouts."""
