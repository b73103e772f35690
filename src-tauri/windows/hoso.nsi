; The desk's Windows installer, built offline by Debian's makensis (`./x dist windows`).
;
; Per-user: no administrator is needed, the program goes to %LOCALAPPDATA%\Programs\hoso and its
; "Apps & features" entry to HKCU. The officer's data (%LOCALAPPDATA%\hoso\data) is never the
; installer's: the uninstaller keeps it unless asked (the question, or /DELETEDATA when silent).
;
; makensis -DVERSION=0.1.0 -DSOURCE=<folder with the executables> -DOUTFILE=<installer.exe>

; A 64-bit installer for a 64-bit program (Unicode; needs no 32-bit layer on the machine).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION
  !error "VERSION is not defined (-DVERSION=…)"
!endif
!ifndef SOURCE
  !error "SOURCE is not defined (-DSOURCE=…)"
!endif
!ifndef OUTFILE
  !error "OUTFILE is not defined (-DOUTFILE=…)"
!endif

!define PRODUCT "Hồ Sơ Số"
!define APP_ID "vn.hoso.desk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
; The WebView2 runtime's client id, under EdgeUpdate (Microsoft's documented detection).
!define WEBVIEW2_ID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\hoso"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "AGPL-3.0-or-later"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "${SOURCE}\icon.ico"
!define MUI_UNICON "${SOURCE}\icon.ico"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_FINISHPAGE_RUN "$INSTDIR\hoso-desktop.exe"
; The language chosen at install is the uninstaller's too.
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${UNINSTALL_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Vietnamese first: the first language is the default.
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

LangString NoWebView2 ${LANG_VIETNAMESE} "Máy này chưa có Microsoft Edge WebView2 Runtime, phần mềm cần nó để mở cửa sổ.$\r$\n$\r$\nWindows 11 có sẵn; Windows 10 nhận được qua Windows Update. Nếu máy không có mạng, cán bộ tin học có thể cài bằng bộ cài ngoại tuyến của Microsoft (Evergreen Standalone Installer) mang theo USB.$\r$\n$\r$\nViệc cài đặt vẫn tiếp tục."
LangString NoWebView2 ${LANG_ENGLISH} "This computer does not have the Microsoft Edge WebView2 Runtime, which the program needs to open its window.$\r$\n$\r$\nWindows 11 ships it; Windows 10 gets it through Windows Update. Without a network, IT staff can install Microsoft's offline Evergreen Standalone Installer from a USB stick.$\r$\n$\r$\nThe installation goes on."
LangString DeleteData ${LANG_VIETNAMESE} "Xoá cả dữ liệu hồ sơ trên máy này?$\r$\n$\r$\nChọn Không để giữ lại (nên chọn nếu chưa sao lưu hoặc chưa đồng bộ hết lên máy chủ)."
LangString DeleteData ${LANG_ENGLISH} "Also delete the dossiers' data on this computer?$\r$\n$\r$\nChoose No to keep it (do so unless it is backed up or fully synced to the hub)."

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
  Call CheckWebView2
FunctionEnd

; Warns (once, and not when silent) if the WebView2 runtime is missing; installs anyway.
Function CheckWebView2
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(NoWebView2)" /SD IDOK
  ${EndIf}
FunctionEnd

Section "Install"
  SetOutPath "$INSTDIR"
  File "${SOURCE}\hoso-desktop.exe"
  File "${SOURCE}\hoso.exe"
  File "${SOURCE}\WebView2Loader.dll"
  File "${SOURCE}\icon.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\hoso-desktop.exe" "" "$INSTDIR\icon.ico"
  CreateShortcut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\hoso-desktop.exe" "" "$INSTDIR\icon.ico"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\icon.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  Delete "$INSTDIR\hoso-desktop.exe"
  Delete "$INSTDIR\hoso.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\icon.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"

  ; The officer's data stays unless asked: the question (default No), or /DELETEDATA when silent.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEDATA" $1
  ${If} ${Errors}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(DeleteData)" /SD IDNO IDYES delete
    Goto done
  ${EndIf}
  delete:
    RMDir /r "$LOCALAPPDATA\hoso\data"
    RMDir "$LOCALAPPDATA\hoso"
  done:
SectionEnd
