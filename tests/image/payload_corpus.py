"""Request -> wire corpus for the image modes, written from the service's image API reference and the
upstream image skill's documented calls.

Each row is a flat request as a user or agent writes it, the model it is sent
to (None: the mode's default), the mode detection must pick (seeing the model
as the CLI does), the path the model is called on, and the exact JSON body.
Layouts: wan2.6-t2i / wan2.7 and every edit model take ``input.messages`` (one
text item plus the images; wan lists the text first, qwen the images first)
with all knobs in ``parameters``; wan2.5 and older t2i, qwen-image and
wan2.5-i2i take ``input.prompt`` (+ ``negative_prompt``, ``images``). ``n`` is
always stated (1 when left out) and so is the size where the model has a
default one; an edit whose output follows the input's shape sends none.
"""

from __future__ import annotations

from typing import Any, Dict, List

IMAGE_GENERATION = "/services/aigc/image-generation/generation"
TEXT2IMAGE = "/services/aigc/text2image/image-synthesis"
IMAGE2IMAGE = "/services/aigc/image2image/image-synthesis"
MULTIMODAL = "/services/aigc/multimodal-generation/generation"
EXAMPLE = "https://img.alicdn.com/imgextra/i1/NotRealJustExample/"
DRESS = "https://img.alicdn.com/imgextra/i3/O1CN0157XGE51l6iL9441yX_!!6000000004770-49-tps-1104-1472.webp"
TABLE = "https://img.alicdn.com/imgextra/i3/O1CN01SfG4J41UYn9WNt4X1_!!6000000002530-49-tps-1696-960.webp"
FUSE = "Place the alarm clock from Image 1 next to the vase on the dining table in Image 2"
HELP = "https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20250925/"


def messages(*content: Dict[str, str]) -> Dict[str, Any]:
    return {"messages": [{"role": "user", "content": list(content)}]}


CORPUS: List[Dict[str, Any]] = [
    # --- t2i ------------------------------------------------------------------------------------------
    {
        "source": "upstream SKILL.md: text to image on the default model",
        "request": {"prompt": "A cozy flower shop with wooden door"},
        "model": None,
        "mode": "t2i",
        "endpoint": IMAGE_GENERATION,
        "body": {"model": "wan2.6-t2i", "input": messages({"text": "A cozy flower shop with wooden door"}),
                 "parameters": {"n": 1, "size": "1280*1280"}},
    },
    {
        "source": "api-guide.md: wan2.6-t2i key parameters",
        "request": {"prompt": "A cozy flower shop with wooden door and flowers on display", "size": "1280*1280",
                    "n": 1, "prompt_extend": True},
        "model": "wan2.6-t2i",
        "mode": "t2i",
        "endpoint": IMAGE_GENERATION,
        "body": {"model": "wan2.6-t2i",
                 "input": messages({"text": "A cozy flower shop with wooden door and flowers on display"}),
                 "parameters": {"size": "1280*1280", "n": 1, "prompt_extend": True}},
    },
    {
        "source": "wan2.6-t2i: negative_prompt is a parameter of the messages layout",
        "request": {"prompt": "A red kite over a beach", "negative_prompt": "blurry", "n": 3, "seed": 42,
                    "size": "1440*1440", "watermark": False},
        "model": None,
        "mode": "t2i",
        "endpoint": IMAGE_GENERATION,
        "body": {"model": "wan2.6-t2i", "input": messages({"text": "A red kite over a beach"}),
                 "parameters": {"negative_prompt": "blurry", "n": 3, "seed": 42, "size": "1440*1440",
                                "watermark": False}},
    },
    {
        "source": "execution-guide.md: wan2.5-t2i-preview task (text2image endpoint, input.prompt)",
        "request": {"prompt": "A cozy flower shop with wooden door", "negative_prompt": "blurry, low quality",
                    "size": "1280*1280", "n": 1},
        "model": "wan2.5-t2i-preview",
        "mode": "t2i",
        "endpoint": TEXT2IMAGE,
        "body": {"model": "wan2.5-t2i-preview",
                 "input": {"prompt": "A cozy flower shop with wooden door", "negative_prompt": "blurry, low quality"},
                 "parameters": {"size": "1280*1280", "n": 1}},
    },
    {
        "source": "wan2.2-t2i-flash: its own default size, n stated",
        "request": {"prompt": "A paper boat on a puddle"},
        "model": "wan2.2-t2i-flash",
        "mode": "t2i",
        "endpoint": TEXT2IMAGE,
        "body": {"model": "wan2.2-t2i-flash", "input": {"prompt": "A paper boat on a puddle"},
                 "parameters": {"n": 1, "size": "1024*1024"}},
    },
    {
        "source": "api-guide.md: qwen-image-plus task",
        "request": {"prompt": "A healing-style poster featuring three puppies playing on green grass",
                    "size": "1664*928", "n": 1, "prompt_extend": True, "watermark": False},
        "model": "qwen-image-plus",
        "mode": "t2i",
        "endpoint": TEXT2IMAGE,
        "body": {"model": "qwen-image-plus",
                 "input": {"prompt": "A healing-style poster featuring three puppies playing on green grass"},
                 "parameters": {"size": "1664*928", "n": 1, "prompt_extend": True, "watermark": False}},
    },
    {
        "source": "qwen-image: the fixed default size 1664*928 is stated",
        "request": {"prompt": "A tea shop sign reading 'Open'"},
        "model": "qwen-image",
        "mode": "t2i",
        "endpoint": TEXT2IMAGE,
        "body": {"model": "qwen-image", "input": {"prompt": "A tea shop sign reading 'Open'"},
                 "parameters": {"n": 1, "size": "1664*928"}},
    },
    {
        "source": "api-guide.md: wan2.7-image-pro text to image with thinking mode",
        "request": {"prompt": "A cozy flower shop with delicate wooden door and morning sunlight", "size": "4K",
                    "n": 1, "thinking_mode": True, "watermark": False},
        "model": "wan2.7-image-pro",
        "mode": "t2i",
        "endpoint": IMAGE_GENERATION,
        "body": {"model": "wan2.7-image-pro",
                 "input": messages({"text": "A cozy flower shop with delicate wooden door and morning sunlight"}),
                 "parameters": {"size": "4K", "n": 1, "thinking_mode": True, "watermark": False}},
    },
    {
        "source": "api-guide.md: wan2.7-image-pro sequential series",
        "request": {"prompt": "A stray orange cat through four seasons", "size": "2K", "enable_sequential": True,
                    "n": 4, "watermark": False},
        "model": "wan2.7-image-pro",
        "mode": "t2i",
        "endpoint": IMAGE_GENERATION,
        "body": {"model": "wan2.7-image-pro", "input": messages({"text": "A stray orange cat through four seasons"}),
                 "parameters": {"size": "2K", "enable_sequential": True, "n": 4, "watermark": False}},
    },
    {
        "source": "wan2.7-image: the 1K tier is stated when no size is given",
        "request": {"prompt": "A glass teapot on a wooden table"},
        "model": "wan2.7-image",
        "mode": "t2i",
        "endpoint": IMAGE_GENERATION,
        "body": {"model": "wan2.7-image", "input": messages({"text": "A glass teapot on a wooden table"}),
                 "parameters": {"n": 1, "size": "1K"}},
    },
    # --- image-edit (synchronous) ---------------------------------------------------------------------------
    {
        "source": "upstream SKILL.md: wan2.6-image edit",
        "request": {"prompt": "Apply watercolor painting style to this photo",
                    "reference_images": [EXAMPLE + "photo.jpg"], "n": 1, "size": "1K"},
        "model": "wan2.6-image",
        "mode": "image-edit",
        "endpoint": MULTIMODAL,
        "body": {"model": "wan2.6-image",
                 "input": messages({"text": "Apply watercolor painting style to this photo"},
                                   {"image": EXAMPLE + "photo.jpg"}),
                 "parameters": {"n": 1, "size": "1K"}},
    },
    {
        "source": "api-guide.md: wan2.6-image multi-image composition",
        "request": {"prompt": "Generate a sunset scene based on the style of image 1 and the background of image 2",
                    "reference_images": [EXAMPLE + "style_ref.jpg", EXAMPLE + "background_ref.jpg"],
                    "size": "1K", "n": 1, "prompt_extend": True},
        "model": "wan2.6-image",
        "mode": "image-edit",
        "endpoint": MULTIMODAL,
        "body": {"model": "wan2.6-image",
                 "input": messages(
                     {"text": "Generate a sunset scene based on the style of image 1 and the background of image 2"},
                     {"image": EXAMPLE + "style_ref.jpg"}, {"image": EXAMPLE + "background_ref.jpg"}),
                 "parameters": {"size": "1K", "n": 1, "prompt_extend": True}},
    },
    {
        "source": "api-guide.md: wan2.7-image-pro edit with two references",
        "request": {"prompt": "Apply the graffiti pattern from image 2 onto the car body in image 1",
                    "reference_images": [EXAMPLE + "car.jpg", EXAMPLE + "graffiti.jpg"], "size": "2K", "n": 1,
                    "watermark": False},
        "model": "wan2.7-image-pro",
        "mode": "image-edit",
        "endpoint": MULTIMODAL,
        "body": {"model": "wan2.7-image-pro",
                 "input": messages({"text": "Apply the graffiti pattern from image 2 onto the car body in image 1"},
                                   {"image": EXAMPLE + "car.jpg"}, {"image": EXAMPLE + "graffiti.jpg"}),
                 "parameters": {"size": "2K", "n": 1, "watermark": False}},
    },
    {
        "source": "image-edit default model: wan2.7-image, 1K and n stated",
        "request": {"prompt": "Make the sky stormy", "reference_images": [EXAMPLE + "photo.jpg"]},
        "model": None,
        "mode": "image-edit",
        "endpoint": MULTIMODAL,
        "body": {"model": "wan2.7-image",
                 "input": messages({"text": "Make the sky stormy"}, {"image": EXAMPLE + "photo.jpg"}),
                 "parameters": {"n": 1, "size": "1K"}},
    },
    {
        "source": "api-guide.md: qwen-image-2.0-pro fusion (images before the text)",
        "request": {"prompt": "Make the girl from Image 1 wear the black dress from Image 2",
                    "reference_images": [HELP + "thtclx/input1.png", HELP + "iclsnx/input2.png"],
                    "n": 2, "size": "1024*1536", "prompt_extend": True, "watermark": False},
        "model": "qwen-image-2.0-pro",
        "mode": "image-edit",
        "endpoint": MULTIMODAL,
        "body": {"model": "qwen-image-2.0-pro",
                 "input": messages({"image": HELP + "thtclx/input1.png"}, {"image": HELP + "iclsnx/input2.png"},
                                   {"text": "Make the girl from Image 1 wear the black dress from Image 2"}),
                 "parameters": {"n": 2, "size": "1024*1536", "prompt_extend": True, "watermark": False}},
    },
    {
        "source": "qwen-image-edit-plus: no size given, the output follows the input (only n is stated)",
        "request": {"prompt": "Replace the sign's text with 'OPEN'", "reference_images": [EXAMPLE + "shop.png"],
                    "negative_prompt": "blur"},
        "model": "qwen-image-edit-plus",
        "mode": "image-edit",
        "endpoint": MULTIMODAL,
        "body": {"model": "qwen-image-edit-plus",
                 "input": messages({"image": EXAMPLE + "shop.png"}, {"text": "Replace the sign's text with 'OPEN'"}),
                 "parameters": {"negative_prompt": "blur", "n": 1}},
    },
    {
        "source": "qwen-image-edit: takes no size, one image",
        "request": {"prompt": "Remove the cup", "reference_images": [EXAMPLE + "desk.png"]},
        "model": "qwen-image-edit",
        "mode": "image-edit",
        "endpoint": MULTIMODAL,
        "body": {"model": "qwen-image-edit",
                 "input": messages({"image": EXAMPLE + "desk.png"}, {"text": "Remove the cup"}),
                 "parameters": {"n": 1}},
    },
    # --- i2i -------------------------------------------------------------------------------------------
    {
        "source": "api-guide.md: wan2.5-i2i-preview single-image edit",
        "request": {"prompt": "Change the floral dress to a vintage-style lace long dress", "reference_images": [DRESS],
                    "prompt_extend": True, "n": 1},
        "model": "wan2.5-i2i-preview",
        "mode": "i2i",
        "endpoint": IMAGE2IMAGE,
        "body": {"model": "wan2.5-i2i-preview",
                 "input": {"prompt": "Change the floral dress to a vintage-style lace long dress", "images": [DRESS]},
                 "parameters": {"prompt_extend": True, "n": 1}},
    },
    {
        "source": "api-guide.md: wan2.5-i2i-preview multi-image fusion",
        "request": {"prompt": FUSE, "reference_images": [DRESS, TABLE], "prompt_extend": True, "n": 1},
        "model": "wan2.5-i2i-preview",
        "mode": "i2i",
        "endpoint": IMAGE2IMAGE,
        "body": {"model": "wan2.5-i2i-preview",
                 "input": {"prompt": FUSE, "images": [DRESS, TABLE]},
                 "parameters": {"prompt_extend": True, "n": 1}},
    },
    {
        "source": "wan2.5-i2i-preview: negative_prompt in input, size and seed in parameters",
        "request": {"prompt": "Make it night", "reference_images": [DRESS], "negative_prompt": "noise",
                    "size": "1024*1024", "seed": 7},
        "model": "wan2.5-i2i-preview",
        "mode": "i2i",
        "endpoint": IMAGE2IMAGE,
        "body": {"model": "wan2.5-i2i-preview",
                 "input": {"prompt": "Make it night", "negative_prompt": "noise", "images": [DRESS]},
                 "parameters": {"size": "1024*1024", "seed": 7, "n": 1}},
    },
]
