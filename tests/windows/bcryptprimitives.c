/*
 * A stand-in for Windows' bcryptprimitives.dll, for the Wine smoke test only (never shipped).
 *
 * Rust's standard library draws random numbers from ProcessPrng in bcryptprimitives.dll, which
 * every Windows 10 and 11 has and Debian's Wine 8 lacks: without it no Rust executable starts
 * under that Wine. This answers from RtlGenRandom (advapi32's SystemFunction036), which Wine
 * has.
 */
#include <windows.h>

BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG n = length > 0x7fffffffu ? 0x7fffffffu : (ULONG)length;
        if (!SystemFunction036(data, n)) {
            return FALSE;
        }
        data += n;
        length -= n;
    }
    return TRUE;
}
