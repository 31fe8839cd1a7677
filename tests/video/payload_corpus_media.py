"""Request -> wire corpus for the media protocol (wan2.7-t2v/i2v/r2v/videoedit, wan3.0-video and -prime).

Each expected body is written from the service documentation, not from what
our builders print: /work/shared/reference/wan-protocol-2026.md (cited as
"proto L<line>") and the service pages it condenses, plus the upstream skill's
convenience fields (first_frame_url, last_frame_url, driving_audio_url,
first_clip_url; upstream SKILL-current.md L53). Our own rules on top of the
service are part of the expectation: every body states its billed dimensions
(``resolution`` default "720P" where the service's default is 1080P, and
``duration`` default 5, or 0 = the input length for videoedit); wan2.7/wan3.0
take ``resolution`` (+ ``ratio``), never ``size``; convenience fields become
``input.media`` items ``{"type", "url"}``; r2v ``reference_urls`` become
reference_image / reference_video items by file extension, ``reference_voices``
a per-item ``reference_voice``, ``reference_audio_urls`` reference_audio items.

Rows have the shape of ``CORPUS`` in payload_corpus.py. ``model`` is what the
user names (None: the fields alone pick it); the body's ``model`` is the one
the service must receive. A row may carry ``xfail``: the reason our body
differs from the documented one (the documented body is kept).
Only https URLs appear: local files are uploaded by the host, not here.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

SYNTHESIS = "/services/aigc/video-generation/video-synthesis"
CDN = "https://cdn.example.com/wan/"

STILL = CDN + "harbour-dawn.png"
STILL2 = CDN + "harbour-noon.jpg"
PORTRAIT = CDN + "girl.jpg"
CHAIR = CDN + "chair.png"
LAMP = CDN + "lamp.webp"
CLIP = CDN + "skater.mp4"
CLIP2 = CDN + "dancer.mov"
SONG = CDN + "song.mp3"
VOICE = CDN + "voice-a.wav"
VOICE2 = CDN + "voice-b.mp3"
SPEECH = CDN + "speech.mp3"


def _row(source: str, request: Dict[str, Any], model: Optional[str], mode: str, sent_model: str,
         body_input: Dict[str, Any], parameters: Dict[str, Any], xfail: Optional[str] = None) -> Dict[str, Any]:
    row: Dict[str, Any] = {
        "source": source,
        "request": request,
        "model": model,
        "mode": mode,
        "endpoint": SYNTHESIS,
        "body": {"model": sent_model, "input": body_input, "parameters": parameters},
    }
    if xfail:
        row["xfail"] = xfail
    return row


def _frames(*pairs: Any) -> List[Dict[str, str]]:
    """``("first_frame", url), ...`` as media items."""
    return [{"type": kind, "url": url} for kind, url in pairs]


MEDIA_CORPUS: List[Dict[str, Any]] = [
    # --- wan2.7-t2v: input.prompt / input.audio_url; parameters resolution, ratio, duration (proto L53-L58) -----
    _row("proto L53/L56 wan2.7-t2v plain: 720P and 5 s stated, no size, no ratio",
         {"prompt": "A lighthouse keeper climbs the stairs at dusk"}, "wan2.7-t2v", "t2v", "wan2.7-t2v",
         {"prompt": "A lighthouse keeper climbs the stairs at dusk"},
         {"resolution": "720P", "duration": 5}),
    _row("proto L56 wan2.7-t2v ratio 9:16 at 1080P (ratio alone picks the model)",
         {"prompt": "A street dancer spins under neon signs", "ratio": "9:16", "resolution": "1080P"},
         None, "t2v", "wan2.7-t2v",
         {"prompt": "A street dancer spins under neon signs"},
         {"resolution": "1080P", "ratio": "9:16", "duration": 5}),
    _row("proto L53-L54 wan2.7-t2v audio_url stays input.audio_url (not media)",
         {"prompt": "A pianist plays on a rooftop at night", "audio_url": SONG, "duration": 12},
         "wan2.7-t2v", "t2v", "wan2.7-t2v",
         {"prompt": "A pianist plays on a rooftop at night", "audio_url": SONG},
         {"resolution": "720P", "duration": 12}),
    _row("proto L58 wan2.7-t2v multi-shot by prompt wording, 4:3 at 15 s",
         {"prompt": "Shot 1 [0-5s]: a fox wakes. Shot 2 [5-15s]: it runs through snow.", "ratio": "4:3",
          "duration": 15, "prompt_extend": False, "seed": 42},
         "wan2.7-t2v", "t2v", "wan2.7-t2v",
         {"prompt": "Shot 1 [0-5s]: a fox wakes. Shot 2 [5-15s]: it runs through snow."},
         {"resolution": "720P", "ratio": "4:3", "duration": 15, "prompt_extend": False, "seed": 42}),
    # --- wan2.7-i2v: every documented media combination (proto L62-L69), convenience fields -------------------
    _row("proto L67 wan2.7-i2v first_frame (model named: a lone first frame is kf2v otherwise)",
         {"prompt": "The tide comes in", "first_frame_url": STILL}, "wan2.7-i2v", "i2v", "wan2.7-i2v",
         {"prompt": "The tide comes in", "media": _frames(("first_frame", STILL))},
         {"resolution": "720P", "duration": 5}),
    _row("proto L67 wan2.7-i2v first_frame + driving_audio (audio picks the model)",
         {"prompt": "She sings along", "first_frame_url": PORTRAIT, "driving_audio_url": SONG}, None, "i2v",
         "wan2.7-i2v",
         {"prompt": "She sings along", "media": _frames(("first_frame", PORTRAIT), ("driving_audio", SONG))},
         {"resolution": "720P", "duration": 5}),
    _row("proto L62/L68 wan2.7-i2v first_frame + last_frame, no prompt (optional on wan2.7-i2v)",
         {"first_frame_url": STILL, "last_frame_url": STILL2, "duration": 8}, "wan2.7-i2v", "i2v", "wan2.7-i2v",
         {"media": _frames(("first_frame", STILL), ("last_frame", STILL2))},
         {"resolution": "720P", "duration": 8}),
    _row("proto L68 wan2.7-i2v first_frame + last_frame + driving_audio",
         {"prompt": "Morning turns to noon over the harbour", "first_frame_url": STILL, "last_frame_url": STILL2,
          "driving_audio_url": SONG, "resolution": "1080P"}, None, "i2v", "wan2.7-i2v",
         {"prompt": "Morning turns to noon over the harbour",
          "media": _frames(("first_frame", STILL), ("last_frame", STILL2), ("driving_audio", SONG))},
         {"resolution": "1080P", "duration": 5}),
    _row("proto L69/L78 wan2.7-i2v first_clip (picks the model); duration is the total, clip included",
         {"prompt": "The skater lands and rolls away", "first_clip_url": CLIP, "duration": 15}, None, "i2v",
         "wan2.7-i2v",
         {"prompt": "The skater lands and rolls away", "media": _frames(("first_clip", CLIP))},
         {"resolution": "720P", "duration": 15}),
    _row("proto L69 wan2.7-i2v first_clip + last_frame",
         {"first_clip_url": CLIP, "last_frame_url": STILL2}, None, "i2v", "wan2.7-i2v",
         {"media": _frames(("first_clip", CLIP), ("last_frame", STILL2))},
         {"resolution": "720P", "duration": 5}),
    _row("proto L63/L67 wan2.7-i2v raw media list sent as given",
         {"prompt": "He starts to talk", "media": _frames(("first_frame", PORTRAIT), ("driving_audio", SPEECH)),
          "watermark": True}, None, "i2v", "wan2.7-i2v",
         {"prompt": "He starts to talk", "media": _frames(("first_frame", PORTRAIT), ("driving_audio", SPEECH))},
         {"resolution": "720P", "duration": 5, "watermark": True}),
    # --- wan2.7-r2v: reference media, per-item reference_voice, first_frame (proto L83-L88) -------------------
    _row("proto L84/L87 wan2.7-r2v images only: reference_image items in order",
         {"prompt": "Image 1 sits on Image 2 by the window", "reference_urls": [PORTRAIT, CHAIR]}, "wan2.7-r2v",
         "r2v", "wan2.7-r2v",
         {"prompt": "Image 1 sits on Image 2 by the window",
          "media": _frames(("reference_image", PORTRAIT), ("reference_image", CHAIR))},
         {"resolution": "720P", "duration": 5}),
    _row("proto L85/L88 wan2.7-r2v image + video with voices (voices pick the model)",
         {"prompt": "Video 1 plays guitar while Image 1 listens", "reference_urls": [PORTRAIT, CLIP2],
          "reference_voices": [VOICE, VOICE2], "ratio": "16:9", "duration": 10}, None, "r2v", "wan2.7-r2v",
         {"prompt": "Video 1 plays guitar while Image 1 listens",
          "media": [{"type": "reference_image", "url": PORTRAIT, "reference_voice": VOICE},
                    {"type": "reference_video", "url": CLIP2, "reference_voice": VOICE2}]},
         {"resolution": "720P", "ratio": "16:9", "duration": 10}),
    _row("proto L85 wan2.7-r2v a null voice leaves that item without reference_voice",
         {"prompt": "Video 1 greets Image 1", "reference_urls": [CLIP, PORTRAIT], "reference_voices": [None, VOICE]},
         None, "r2v", "wan2.7-r2v",
         {"prompt": "Video 1 greets Image 1",
          "media": [{"type": "reference_video", "url": CLIP},
                    {"type": "reference_image", "url": PORTRAIT, "reference_voice": VOICE}]},
         {"resolution": "720P", "duration": 5}),
    _row("proto L84/L87 wan2.7-r2v with first_frame (picks the model; no ratio, the frame sets the shape)",
         {"prompt": "Image 1 walks into the scene", "reference_urls": [PORTRAIT], "first_frame_url": STILL},
         None, "r2v", "wan2.7-r2v",
         {"prompt": "Image 1 walks into the scene",
          "media": _frames(("first_frame", STILL), ("reference_image", PORTRAIT))},
         {"resolution": "720P", "duration": 5}),
    _row("R2V27 curl 'multi-subject' shape: raw media with voices, prompt_extend false, watermark true",
         {"prompt": "Video 1 hugs Image 3 and plays on Image 4; Image 1 brings Image 2",
          "media": [{"type": "reference_image", "url": PORTRAIT, "reference_voice": VOICE},
                    {"type": "reference_video", "url": CLIP, "reference_voice": VOICE2},
                    {"type": "reference_image", "url": LAMP}, {"type": "reference_image", "url": CHAIR},
                    {"type": "reference_image", "url": STILL}],
          "resolution": "720P", "ratio": "16:9", "duration": 10, "prompt_extend": False, "watermark": True},
         "wan2.7-r2v", "r2v", "wan2.7-r2v",
         {"prompt": "Video 1 hugs Image 3 and plays on Image 4; Image 1 brings Image 2",
          "media": [{"type": "reference_image", "url": PORTRAIT, "reference_voice": VOICE},
                    {"type": "reference_video", "url": CLIP, "reference_voice": VOICE2},
                    {"type": "reference_image", "url": LAMP}, {"type": "reference_image", "url": CHAIR},
                    {"type": "reference_image", "url": STILL}]},
         {"resolution": "720P", "ratio": "16:9", "duration": 10, "prompt_extend": False, "watermark": True}),
    # --- wan2.7-videoedit: one video + up to 4 reference images; duration 0 = input length (proto L92-L97) ----
    _row("proto L93/L96 wan2.7-videoedit video only: duration 0 (keep the input length) stated",
         {"prompt": "Turn the whole scene into clay animation", "video_url": CLIP}, None, "videoedit",
         "wan2.7-videoedit",
         {"prompt": "Turn the whole scene into clay animation", "media": _frames(("video", CLIP))},
         {"resolution": "720P", "duration": 0}),
    _row("proto L93-L97 wan2.7-videoedit video + 2 reference images, audio_setting origin, ratio 1:1",
         {"prompt": "Dress her in the jacket of Image 1 and the hat of Image 2", "video_url": CLIP2,
          "reference_images": [PORTRAIT, LAMP], "audio_setting": "origin", "ratio": "1:1"}, None, "videoedit",
         "wan2.7-videoedit",
         {"prompt": "Dress her in the jacket of Image 1 and the hat of Image 2",
          "media": _frames(("video", CLIP2), ("reference_image", PORTRAIT), ("reference_image", LAMP))},
         {"resolution": "720P", "ratio": "1:1", "duration": 0, "audio_setting": "origin"}),
    _row("proto L96 wan2.7-videoedit raw media, no prompt (optional), truncated to 6 s",
         {"media": _frames(("video", CLIP), ("reference_image", CHAIR)), "duration": 6, "resolution": "1080P"},
         None, "videoedit", "wan2.7-videoedit",
         {"media": _frames(("video", CLIP), ("reference_image", CHAIR))},
         {"resolution": "1080P", "duration": 6}),
    # --- wan3.0-video / -prime: prompt and/or media, resolution/ratio/duration/audio (proto L171-L184) --------
    _row("proto L183-L184 wan3.0-video t2v: duration -1 (model picks) and audio false",
         {"prompt": "A paper boat drifts down a rainy gutter", "duration": -1, "audio": False}, "wan3.0-video",
         "t2v", "wan3.0-video",
         {"prompt": "A paper boat drifts down a rainy gutter"},
         {"resolution": "720P", "duration": -1, "audio": False}),
    _row("WAN30 curl 't2v' shape: 480P, ratio adaptive, prompt_extend true",
         {"prompt": "A kitten runs over moonlit roofs", "resolution": "480P", "ratio": "adaptive", "duration": 5,
          "prompt_extend": True}, "wan3.0-video-prime", "t2v", "wan3.0-video-prime",
         {"prompt": "A kitten runs over moonlit roofs"},
         {"resolution": "480P", "ratio": "adaptive", "duration": 5, "prompt_extend": True}),
    _row("proto L175 wan3.0-video i2v first_frame + last_frame from convenience fields",
         {"prompt": "Her smile turns into laughter", "first_frame_url": PORTRAIT, "last_frame_url": STILL2},
         "wan3.0-video", "i2v", "wan3.0-video",
         {"prompt": "Her smile turns into laughter",
          "media": _frames(("first_frame", PORTRAIT), ("last_frame", STILL2))},
         {"resolution": "720P", "duration": 5}),
    _row("proto L171/L175 wan3.0-video i2v raw first_frame media, no prompt",
         {"media": _frames(("first_frame", STILL)), "duration": 20}, "wan3.0-video", "i2v", "wan3.0-video",
         {"media": _frames(("first_frame", STILL))},
         {"resolution": "720P", "duration": 20}),
    _row("WAN30 curl 'first frame' shape: raw first_frame, 480P, ratio adaptive, prompt_extend true",
         {"prompt": "A graffiti boy raps under a railway bridge", "media": _frames(("first_frame", STILL)),
          "resolution": "480P", "ratio": "adaptive", "duration": 5, "prompt_extend": True},
         "wan3.0-video", "i2v", "wan3.0-video",
         {"prompt": "A graffiti boy raps under a railway bridge", "media": _frames(("first_frame", STILL))},
         {"resolution": "480P", "ratio": "adaptive", "duration": 5, "prompt_extend": True}),
    _row("proto L183 wan3.0-video-prime i2v first + last frame with ratio 9:16",
         {"first_frame_url": PORTRAIT, "last_frame_url": STILL2, "ratio": "9:16"}, "wan3.0-video-prime", "i2v",
         "wan3.0-video-prime",
         {"media": _frames(("first_frame", PORTRAIT), ("last_frame", STILL2))},
         {"resolution": "720P", "ratio": "9:16", "duration": 5}),
    _row("proto L176-L178 wan3.0-video-prime r2v: reference images, a reference video, reference audio",
         {"prompt": "Video 1 dances with Image 1 next to Image 2 while Audio 1 plays",
          "reference_urls": [PORTRAIT, CLIP, CHAIR], "reference_audio_urls": [SPEECH], "duration": 10},
         "wan3.0-video-prime", "r2v", "wan3.0-video-prime",
         {"prompt": "Video 1 dances with Image 1 next to Image 2 while Audio 1 plays",
          "media": _frames(("reference_image", PORTRAIT), ("reference_video", CLIP), ("reference_image", CHAIR),
                           ("reference_audio", SPEECH))},
         {"resolution": "720P", "duration": 10}),
    _row("proto L179 wan3.0-video r2v raw media with a file (storyboard document)",
         {"prompt": "A product teaser following the storyboard", "media": _frames(("file", CDN + "board.pdf")),
          "ratio": "adaptive", "duration": 10}, "wan3.0-video", "r2v", "wan3.0-video",
         {"prompt": "A product teaser following the storyboard", "media": _frames(("file", CDN + "board.pdf"))},
         {"resolution": "720P", "ratio": "adaptive", "duration": 10}),
    _row("proto L186 wan3.0-video edit with one reference_video (our rule: duration 5 stated; doc example omits it)",
         {"prompt": "Turn the whole scene into clay animation", "media": _frames(("reference_video", CLIP)),
          "prompt_extend": True}, "wan3.0-video", "r2v", "wan3.0-video",
         {"prompt": "Turn the whole scene into clay animation", "media": _frames(("reference_video", CLIP))},
         {"resolution": "720P", "duration": 5, "prompt_extend": True}),
    _row("proto L186 wan3.0-video extension of Video 1 needs ratio adaptive",
         {"prompt": "Extend Video 1: the baker carries the bread to the oven",
          "media": _frames(("reference_video", CLIP)), "ratio": "adaptive", "duration": 8},
         "wan3.0-video", "r2v", "wan3.0-video",
         {"prompt": "Extend Video 1: the baker carries the bread to the oven",
          "media": _frames(("reference_video", CLIP))},
         {"resolution": "720P", "ratio": "adaptive", "duration": 8}),
    _row("proto L171 wan3.0-video media without a prompt (prompt and/or media)",
         {"media": _frames(("reference_image", PORTRAIT), ("reference_image", CHAIR))}, "wan3.0-video", "r2v",
         "wan3.0-video",
         {"media": _frames(("reference_image", PORTRAIT), ("reference_image", CHAIR))},
         {"resolution": "720P", "duration": 5}),
]
