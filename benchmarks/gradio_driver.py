"""Drive one of the seed's Gradio chat apps like a user, through gradio_client (run with the
seed's interpreter, which has gradio). Prints the assistant's message after each turn, as JSON.

    python benchmarks/gradio_driver.py URL TURNS_JSON

TURNS_JSON is a list of [text, image_path_or_null]; apps without an upload get text only.
"""

from __future__ import annotations

import json
import sys

from gradio_client import Client, handle_file


def main(url: str, turns: list[list[str | None]]) -> int:
    client = Client(url, verbose=False)
    api = client.view_api(print_info=False, return_format="dict")
    takes_file = len(api["named_endpoints"]["/chat_stream"]["parameters"]) > 1
    said = []
    for text, image in turns:
        args = [text] + ([handle_file(image) if image else None] if takes_file else [])
        history = client.predict(*args, api_name="/chat_stream")
        if isinstance(history, (list, tuple)) and history and isinstance(history[0], list):
            history = history[0]  # (chatbot, state) when state is listed too
        said.append(history[-1]["content"] if history else "")
    print(json.dumps(said))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], json.loads(sys.argv[2])))
