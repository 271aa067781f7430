"""Reading an HTTP answer from its bytes, as a client reads it from a socket."""

import http.client
import io


class _Socket(io.BytesIO):
    def makefile(self, *args, **kwargs):
        return self


def read_answer(raw):
    """(http.client.HTTPResponse, body) of the answer raw, headers and all."""
    response = http.client.HTTPResponse(_Socket(raw))
    response.begin()
    return response, response.read()
