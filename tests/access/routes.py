from tests.access_matrix import Route

ROUTES = [
    Route("access:audit_log", allowed=frozenset({"admin"})),
    Route("access:audit_export", allowed=frozenset({"admin"})),
]
