# Runs patterns through the real PCRE2 (the library nginx links), for the differential test of
# kasmlint's regex automaton. Reads JSON lines {"p": pattern, "i": caseless, "s": [subjects]} (strings
# as latin1 bytes) and writes {"ok": compiled, "r": [1 match, 0 no match, -1 error]} per line. Each
# match is bounded by a match limit, so no pattern can make it run away.
import ctypes, json, sys

lib = ctypes.CDLL('libpcre2-8.so.0')
lib.pcre2_compile_8.restype = ctypes.c_void_p
lib.pcre2_compile_8.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_size_t), ctypes.c_void_p]
lib.pcre2_match_data_create_from_pattern_8.restype = ctypes.c_void_p
lib.pcre2_match_data_create_from_pattern_8.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
lib.pcre2_match_context_create_8.restype = ctypes.c_void_p
lib.pcre2_match_context_create_8.argtypes = [ctypes.c_void_p]
lib.pcre2_set_match_limit_8.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
lib.pcre2_match_8.restype = ctypes.c_int
lib.pcre2_match_8.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p]
lib.pcre2_code_free_8.argtypes = [ctypes.c_void_p]
lib.pcre2_match_data_free_8.argtypes = [ctypes.c_void_p]
CASELESS = 0x00000008

context = lib.pcre2_match_context_create_8(None)
lib.pcre2_set_match_limit_8(context, 1000000)
for line in sys.stdin:
    job = json.loads(line)
    pattern = job['p'].encode('latin1')
    err = ctypes.c_int(0)
    offset = ctypes.c_size_t(0)
    code = lib.pcre2_compile_8(pattern, len(pattern), CASELESS if job['i'] else 0, ctypes.byref(err), ctypes.byref(offset), None)
    if not code:
        print(json.dumps({'ok': False, 'r': []}), flush=True)
        continue
    data = lib.pcre2_match_data_create_from_pattern_8(code, None)
    results = []
    for s in job['s']:
        subject = s.encode('latin1')
        rc = lib.pcre2_match_8(code, subject, len(subject), 0, 0, data, context)
        results.append(1 if rc >= 0 else 0 if rc == -1 else -1)
    lib.pcre2_match_data_free_8(data)
    lib.pcre2_code_free_8(code)
    print(json.dumps({'ok': True, 'r': results}), flush=True)
