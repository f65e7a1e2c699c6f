"""The Reflex wrapper of assets/realtime/image_picker.js: show the model an image mid-call."""

import reflex as rx
from reflex.event import passthrough_event_spec

from voice_app.realtime import images
from voice_app.realtime.call_phase import Status
from voice_app.states.call import CallState
from voice_app.states.channel import ChannelState


class ImagePicker(rx.Component):
    library = rx.asset("realtime/index.js").importable_path
    tag = "ImagePicker"

    enabled: rx.Var[bool]  # during a call
    # The limits the browser scales and encodes to, written once in realtime/images.py.
    max_side: rx.Var[int]
    max_chars: rx.Var[int]
    thumbnail_side: rx.Var[int]
    thumbnail_chars: rx.Var[int]

    on_image: rx.EventHandler[passthrough_event_spec(dict)]  # {"item_id", "width", "height", "thumbnail"}
    on_problem: rx.EventHandler[passthrough_event_spec(str)]  # a key of images.PROBLEMS


def image_picker() -> rx.Component:
    return ImagePicker.create(
        enabled=CallState.status == Status.CONNECTED.value,
        max_side=images.MAX_SIDE,
        max_chars=images.MAX_IMAGE_CHARS,
        thumbnail_side=images.THUMBNAIL_SIDE,
        thumbnail_chars=images.MAX_THUMBNAIL_CHARS,
        on_image=ChannelState.image_shown,
        on_problem=CallState.image_problem,
        data_testid="image-picker",
    )
