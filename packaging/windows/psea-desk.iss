; Inno Setup script for PSEA Desk (per-user install, no administrator rights needed: field laptops
; are often locked down). Built by packaging\windows\build.ps1 after PyInstaller.
#define AppVersion "0.1.0"

[Setup]
AppId={{6E1B0F6C-7C2B-4A8E-9A57-3D1C5C2B9E11}
AppName=PSEA Desk
AppVersion={#AppVersion}
AppPublisher=PSEA Desk
DefaultDirName={localappdata}\Programs\PSEA Desk
DefaultGroupName=PSEA Desk
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=PSEA-Desk-Setup
SetupIconFile=psea-desk.ico
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "ar"; MessagesFile: "compiler:Languages\Arabic.isl"
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Files]
Source: "..\..\dist\psea-desk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\PSEA Desk"; Filename: "{app}\psea-desk.exe"
Name: "{userdesktop}\PSEA Desk"; Filename: "{app}\psea-desk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"

[Registry]
Root: HKCU; Subkey: "Software\Classes\.pdesk"; ValueType: string; ValueData: "PSEADesk.Workspace"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\PSEADesk.Workspace\shell\open\command"; ValueType: string; ValueData: """{app}\psea-desk.exe"" gui ""%1"""; Flags: uninsdeletekey

[Run]
Filename: "{app}\psea-desk.exe"; Description: "{cm:LaunchProgram,PSEA Desk}"; Flags: nowait postinstall skipifsilent
