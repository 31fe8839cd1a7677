"""Request -> wire corpus: what the service must receive for the seed's and the upstream docs' examples.

Each row is a flat request (as a user or agent writes it), the model it is sent
to, the mode auto-detection must pick, and the exact endpoint and JSON body.
Field placement (input vs parameters) follows the upstream skill script and
the service's API reference. Like the upstream script, the fields that set the
price are always stated: a duration (5 s unless the model has a fixed length)
and a size or resolution (the model's 720P default where it has one), because
the service's own default is often 1080P. shot_type multi without
prompt_extend sends prompt_extend true. VACE is sent exactly as given.
Local paths appear as given: uploading happens later, in the host.
"""

from __future__ import annotations

from typing import Any, Dict, List

SYNTHESIS = "/services/aigc/video-generation/video-synthesis"
IMAGE2VIDEO = "/services/aigc/image2video/video-synthesis"
EXAMPLE = "https://img.alicdn.com/imgextra/i1/NotRealJustExample/"
WANX = "http://wanx.alicdn.com/material/20250318/"

CORPUS: List[Dict[str, Any]] = [
    # --- t2v ------------------------------------------------------------------------------------------
    {
        "source": "seed SKILL.md / examples.md: t2v",
        "request": {"prompt": "A detective in a rainy city at night", "size": "1280*720", "duration": 5},
        "model": None,
        "mode": "t2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-t2v",
            "input": {"prompt": "A detective in a rainy city at night"},
            "parameters": {"size": "1280*720", "duration": 5},
        },
    },
    {
        "source": "api-guide.md: submit with curl",
        "request": {"prompt": "A kitten running in the moonlight", "size": "1280*720", "duration": 5},
        "model": "wan2.6-t2v",
        "mode": "t2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-t2v",
            "input": {"prompt": "A kitten running in the moonlight"},
            "parameters": {"size": "1280*720", "duration": 5},
        },
    },
    {
        "source": "api-guide.md: multi-shot narrative",
        "request": {
            "prompt": "Shot 1 [0-3s]: A detective walks briskly through a rainy street. "
            "Shot 2 [3-5s]: The detective pushes open a heavy door and finds a clue.",
            "size": "1280*720",
            "duration": 5,
            "shot_type": "multi",
            "prompt_extend": True,
        },
        "model": "wan2.6-t2v",
        "mode": "t2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-t2v",
            "input": {
                "prompt": "Shot 1 [0-3s]: A detective walks briskly through a rainy street. "
                "Shot 2 [3-5s]: The detective pushes open a heavy door and finds a clue."
            },
            "parameters": {"size": "1280*720", "duration": 5, "shot_type": "multi", "prompt_extend": True},
        },
    },
    {
        "source": "api-guide.md: custom audio",
        "request": {
            "prompt": "A musician playing guitar on a moonlit beach",
            "audio_url": EXAMPLE + "bgm.mp3",
            "size": "1280*720",
            "duration": 10,
        },
        "model": "wan2.6-t2v",
        "mode": "t2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-t2v",
            "input": {"prompt": "A musician playing guitar on a moonlit beach", "audio_url": EXAMPLE + "bgm.mp3"},
            "parameters": {"size": "1280*720", "duration": 10},
        },
    },
    {
        "source": "examples.md: t2v multi-shot",
        "request": {
            "prompt": "第1个镜头[0-3秒] 雨夜街头侦探快步前行。第2个镜头[3-5秒] 侦探进入老旧建筑。",
            "size": "1280*720",
            "duration": 5,
            "shot_type": "multi",
            "prompt_extend": True,
        },
        "model": "wan2.6-t2v",
        "mode": "t2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-t2v",
            "input": {"prompt": "第1个镜头[0-3秒] 雨夜街头侦探快步前行。第2个镜头[3-5秒] 侦探进入老旧建筑。"},
            "parameters": {"size": "1280*720", "duration": 5, "shot_type": "multi", "prompt_extend": True},
        },
    },
    {
        "source": "examples.md: t2v with custom audio",
        "request": {
            "prompt": "A cat general on a cliff",
            "audio_url": EXAMPLE + "bgm.mp3",
            "size": "1280*720",
            "duration": 10,
        },
        "model": "wan2.6-t2v",
        "mode": "t2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-t2v",
            "input": {"prompt": "A cat general on a cliff", "audio_url": EXAMPLE + "bgm.mp3"},
            "parameters": {"size": "1280*720", "duration": 10},
        },
    },
    # --- i2v ------------------------------------------------------------------------------------------
    {
        "source": "examples.md: i2v",
        "request": {
            "prompt": "A cat running on grass",
            "img_url": EXAMPLE + "frame.png",
            "resolution": "720P",
            "duration": 5,
        },
        "model": None,
        "mode": "i2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-i2v-flash",
            "input": {"prompt": "A cat running on grass", "img_url": EXAMPLE + "frame.png"},
            "parameters": {"resolution": "720P", "duration": 5},
        },
    },
    {
        "source": "examples.md: i2v with local file (reference_image is sent as img_url)",
        "request": {"prompt": "A cat running on grass", "reference_image": "/path/to/image.png", "resolution": "720P"},
        "model": None,
        "mode": "i2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-i2v-flash",
            "input": {"prompt": "A cat running on grass", "img_url": "/path/to/image.png"},
            "parameters": {"resolution": "720P", "duration": 5},
        },
    },
    # --- kf2v -----------------------------------------------------------------------------------------
    {
        "source": "examples.md: kf2v (duration 5 always sent)",
        "request": {
            "prompt": "A cat looks up to the sky",
            "first_frame_url": EXAMPLE + "first.png",
            "last_frame_url": EXAMPLE + "last.png",
            "resolution": "720P",
        },
        "model": None,
        "mode": "kf2v",
        "endpoint": IMAGE2VIDEO,
        "body": {
            "model": "wan2.2-kf2v-flash",
            "input": {
                "prompt": "A cat looks up to the sky",
                "first_frame_url": EXAMPLE + "first.png",
                "last_frame_url": EXAMPLE + "last.png",
            },
            "parameters": {"resolution": "720P", "duration": 5},
        },
    },
    {
        "source": "recorded SDK kf2v request, without the SDK's extend_prompt/function quirks",
        "request": {
            "prompt": "t",
            "first_frame_url": "https://x/a.png",
            "last_frame_url": "https://x/b.png",
            "resolution": "720P",
        },
        "model": "wan2.2-kf2v-flash",
        "mode": "kf2v",
        "endpoint": IMAGE2VIDEO,
        "body": {
            "model": "wan2.2-kf2v-flash",
            "input": {"prompt": "t", "first_frame_url": "https://x/a.png", "last_frame_url": "https://x/b.png"},
            "parameters": {"resolution": "720P", "duration": 5},
        },
    },
    # --- r2v ------------------------------------------------------------------------------------------
    {
        "source": "examples.md: r2v",
        "request": {
            "prompt": "character1 says hello to character2",
            "reference_urls": [EXAMPLE + "person.mp4", EXAMPLE + "person2.png"],
            "size": "1280*720",
            "duration": 5,
            "shot_type": "multi",
        },
        "model": "wan2.6-r2v-flash",
        "mode": "r2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-r2v-flash",
            "input": {
                "prompt": "character1 says hello to character2",
                "reference_urls": [EXAMPLE + "person.mp4", EXAMPLE + "person2.png"],
            },
            "parameters": {"size": "1280*720", "duration": 5, "shot_type": "multi"},
        },
    },
    # --- vace -----------------------------------------------------------------------------------------
    {
        "source": "examples.md: vace multi-image reference (obj_or_bg is a parameter)",
        "request": {
            "function": "image_reference",
            "prompt": "A girl walks through a forest",
            "ref_images_url": [EXAMPLE + "girl.png", EXAMPLE + "forest.png"],
            "obj_or_bg": ["obj", "bg"],
            "size": "1280*720",
        },
        "model": "wan2.1-vace-plus",
        "mode": "vace",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.1-vace-plus",
            "input": {
                "function": "image_reference",
                "prompt": "A girl walks through a forest",
                "ref_images_url": [EXAMPLE + "girl.png", EXAMPLE + "forest.png"],
            },
            "parameters": {"obj_or_bg": ["obj", "bg"], "size": "1280*720"},
        },
    },
    {
        "source": "examples.md: vace video repainting",
        "request": {
            "function": "video_repainting",
            "prompt": "A steampunk car driving through a city",
            "video_url": EXAMPLE + "driving.mp4",
            "control_condition": "depth",
            "prompt_extend": False,
        },
        "model": "wan2.1-vace-plus",
        "mode": "vace",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.1-vace-plus",
            "input": {
                "function": "video_repainting",
                "prompt": "A steampunk car driving through a city",
                "video_url": EXAMPLE + "driving.mp4",
            },
            "parameters": {"control_condition": "depth", "prompt_extend": False},
        },
    },
    {
        "source": "examples.md: vace local edit (mask_frame_id is an input field)",
        "request": {
            "function": "video_edit",
            "prompt": "A lion in a suit drinking coffee",
            "video_url": EXAMPLE + "cafe.mp4",
            "mask_image_url": EXAMPLE + "mask.png",
            "mask_frame_id": 1,
            "mask_type": "tracking",
            "prompt_extend": False,
        },
        "model": "wan2.1-vace-plus",
        "mode": "vace",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.1-vace-plus",
            "input": {
                "function": "video_edit",
                "prompt": "A lion in a suit drinking coffee",
                "video_url": EXAMPLE + "cafe.mp4",
                "mask_image_url": EXAMPLE + "mask.png",
                "mask_frame_id": 1,
            },
            "parameters": {"mask_type": "tracking", "prompt_extend": False},
        },
    },
    {
        "source": "examples.md: vace video extension",
        "request": {
            "function": "video_extension",
            "prompt": "A dog skateboarding, 3D cartoon",
            "first_clip_url": EXAMPLE + "clip.mp4",
            "prompt_extend": False,
        },
        "model": "wan2.1-vace-plus",
        "mode": "vace",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.1-vace-plus",
            "input": {
                "function": "video_extension",
                "prompt": "A dog skateboarding, 3D cartoon",
                "first_clip_url": EXAMPLE + "clip.mp4",
            },
            "parameters": {"prompt_extend": False},
        },
    },
    {
        "source": "examples.md: vace video outpainting",
        "request": {
            "function": "video_outpainting",
            "prompt": "A woman plays violin with an orchestra behind her",
            "video_url": EXAMPLE + "violin.mp4",
            "top_scale": 1.5,
            "bottom_scale": 1.5,
            "left_scale": 1.5,
            "right_scale": 1.5,
            "prompt_extend": False,
        },
        "model": "wan2.1-vace-plus",
        "mode": "vace",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.1-vace-plus",
            "input": {
                "function": "video_outpainting",
                "prompt": "A woman plays violin with an orchestra behind her",
                "video_url": EXAMPLE + "violin.mp4",
            },
            "parameters": {
                "prompt_extend": False,
                "top_scale": 1.5,
                "bottom_scale": 1.5,
                "left_scale": 1.5,
                "right_scale": 1.5,
            },
        },
    },
    {
        "source": "service API reference: vace local edit with expand_ratio and size",
        "request": {
            "function": "video_edit",
            "prompt": "A lion in a suit is elegantly sipping coffee in a Parisian cafe.",
            "mask_image_url": WANX + "video_edit_1_mask.png",
            "video_url": WANX + "video_edit_2.mp4",
            "mask_frame_id": 1,
            "prompt_extend": False,
            "mask_type": "tracking",
            "expand_ratio": 0.05,
            "size": "1280*720",
        },
        "model": "wan2.1-vace-plus",
        "mode": "vace",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.1-vace-plus",
            "input": {
                "function": "video_edit",
                "prompt": "A lion in a suit is elegantly sipping coffee in a Parisian cafe.",
                "mask_image_url": WANX + "video_edit_1_mask.png",
                "video_url": WANX + "video_edit_2.mp4",
                "mask_frame_id": 1,
            },
            "parameters": {"prompt_extend": False, "mask_type": "tracking", "expand_ratio": 0.05, "size": "1280*720"},
        },
    },
    # --- escape hatch ---------------------------------------------------------------------------------
    {
        "source": "extra_input / extra_parameters merge into the body",
        "request": {
            "prompt": "A lighthouse in a storm",
            "extra_input": {"future_hint": "x"},
            "extra_parameters": {"fps": 30},
        },
        "model": "wan2.6-t2v",
        "mode": "t2v",
        "endpoint": SYNTHESIS,
        "body": {
            "model": "wan2.6-t2v",
            "input": {"prompt": "A lighthouse in a storm", "future_hint": "x"},
            "parameters": {"size": "1280*720", "duration": 5, "fps": 30},
        },
    },
]
