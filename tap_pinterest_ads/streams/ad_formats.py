"""The ad formats: every value of the API's `CreativeType` enum with a name and description.

The spec lists the values without describing them (only that SHOP_THE_PIN is deprecated in
favour of COLLECTION); the descriptions are Pinterest's format names in short.
"""

from __future__ import annotations

# creative_type, name, description, is_deprecated — in the spec's order.
AD_FORMATS: tuple[tuple[str, str, str, bool], ...] = (
    ("REGULAR", "Standard", "A single image Pin.", False),
    ("VIDEO", "Video", "A standard-width video Pin.", False),
    ("SHOPPING", "Shopping", "A product Pin created from a catalog.", False),
    ("CAROUSEL", "Carousel", "Two to five images a Pinner swipes through.", False),
    ("MAX_VIDEO", "Max. width video", "A video across the full width of the feed.", False),
    (
        "SHOP_THE_PIN",
        "Shop the Pin",
        "A lifestyle image with tagged products; deprecated, use COLLECTION.",
        True,
    ),
    ("COLLECTION", "Collections", "A hero image or video above product images.", False),
    ("IDEA", "Idea", "A multi-page Pin of images and videos.", False),
    ("SHOWCASE", "Showcase", "A cover image with pages of further images to browse.", False),
    ("QUIZ", "Quiz", "A quiz whose answers lead to a result Pin.", False),
    ("COLLAGE", "Collage", "Cut-out images layered on a background, each linking on.", False),
    (
        "MAX_WIDTH_REGULAR_COLLECTION",
        "Max. width collection (image)",
        "A collections ad whose hero image spans the full width of the feed.",
        False,
    ),
    (
        "MAX_WIDTH_VIDEO_COLLECTION",
        "Max. width collection (video)",
        "A collections ad whose hero video spans the full width of the feed.",
        False,
    ),
)
