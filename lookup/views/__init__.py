"""Views by area: health, search (home, search page, API), entries (entry pages, saving, browsing), lists."""
