"""The service paths image models are called on, relative to the API base (…/api/v1)."""

# Asynchronous task, messages body (wan2.6-t2i, wan2.7-image): submit with X-DashScope-Async, then poll.
IMAGE_GENERATION = "/services/aigc/image-generation/generation"
# Asynchronous task, input.prompt body (wan2.5 and older t2i, qwen-image / qwen-image-plus).
TEXT2IMAGE = "/services/aigc/text2image/image-synthesis"
# Asynchronous task, input.prompt + input.images body (wan2.5-i2i-preview).
IMAGE2IMAGE = "/services/aigc/image2image/image-synthesis"
# Synchronous call, messages body: the answer itself carries the images.
MULTIMODAL_GENERATION = "/services/aigc/multimodal-generation/generation"
