"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per call.

Django builds a new `redis.Redis` object for every cache operation. With redis-py 8 that costs about as much
as the network round trip itself (each client copies a table of ~170 response callbacks), which matters on
the cached public pages, where the cache read is most of the work. A client keeps no per-call state (every
command borrows a connection from the pool) and is thread-safe, so reusing it changes nothing else.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            # Two threads may both build one here; the spare is simply dropped.
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
