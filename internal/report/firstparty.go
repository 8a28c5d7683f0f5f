package report

import "strings"

// firstParty lists Microsoft's own applications by application id, with the
// name sign-in logs give them. Redaction keeps these names: they say what
// was reached (the Azure Portal, the My Sign-ins page) and identify no
// tenant. Any other application is the tenant's own or a third party's and
// becomes [CUSTOM_APP_n]. The ids are the public, fixed ids Microsoft's
// applications have in every tenant.
var firstParty = map[string]string{
	"c44b4083-3bb0-49c1-b47d-974e53cbdf3c": "Azure Portal",
	"1950a258-227b-4e31-a9cf-717495945fc2": "Microsoft Azure PowerShell",
	"04b07795-8ddb-461a-bbee-02f9e1bf7b46": "Microsoft Azure CLI",
	"00000002-0000-0ff1-ce00-000000000000": "Office 365 Exchange Online",
	"00000003-0000-0ff1-ce00-000000000000": "Office 365 SharePoint Online",
	"00000003-0000-0000-c000-000000000000": "Microsoft Graph",
	"00000002-0000-0000-c000-000000000000": "Windows Azure Active Directory",
	"00000006-0000-0ff1-ce00-000000000000": "Microsoft Office 365 Portal",
	"00000009-0000-0000-c000-000000000000": "Power BI Service",
	"1fec8e78-bce4-4aaf-ab1b-5451cc387264": "Microsoft Teams",
	"5e3ce6c0-2b1f-4285-8d4b-75ee78787346": "Microsoft Teams Web Client",
	"4765445b-32c6-49b0-83e6-1d93765276ca": "OfficeHome",
	"d3590ed6-52b3-4102-aeff-aad2292ab01c": "Microsoft Office",
	"19db86c3-b2b9-44cc-b339-36da233a3be2": "My Signins",
	"2793995e-0a7d-40d7-bd35-6968ba142197": "My Apps",
	"8c59ead7-d703-4a27-9e55-c96a0054c8d2": "My Profile",
	"de8bc8b5-d9f9-48b1-a8ad-b748da725064": "Graph Explorer",
	"14d82eec-204b-4c2f-b7e8-296a70dab67e": "Microsoft Graph Command Line Tools",
	"797f4846-ba00-4fd7-ba43-dac1f8f63013": "Windows Azure Service Management API",
	"27922004-5251-4030-b22d-91ecd9a37ea4": "Outlook Mobile",
	"89bee1f7-5e6e-4d8a-9f3d-ecd601259da7": "Office365 Shell WCSS-Client",
	"29d9ed98-a469-4536-ade2-f981bc1d605e": "Microsoft Authentication Broker",
	"9ba1a5c7-f17a-4de9-a1f1-6178c8d51223": "Microsoft Intune Company Portal",
	"ab9b8c07-8f02-4f72-87fa-80105867a763": "OneDrive SyncEngine",
	"ecd6b820-32c2-49b6-98a6-444530e5a77a": "Microsoft Edge",
	"1b730954-1685-4b74-9bfd-dac224a7b894": "Azure Active Directory PowerShell",
	"38aa3b87-a06d-4817-b275-7a316988d93b": "Windows Sign In",
	"7eadcef8-456d-4611-9480-4fff72b8b9e2": "Microsoft Account Controls V2",
	"fb78d390-0c51-40cd-8e17-fdbfab77341b": "Microsoft Exchange REST API Based Powershell",
	"c5393580-f805-4401-95e8-94b7a6ef2fc2": "Office 365 Management APIs",
	"aebc6443-996d-45c2-90f0-388ff96faa56": "Visual Studio Code",
}

// firstPartyNames are the same applications by name, folded, for records
// that carry a name and no id.
var firstPartyNames = func() map[string]bool {
	m := make(map[string]bool, len(firstParty)+2)
	for _, name := range firstParty {
		m[strings.ToLower(name)] = true
	}
	// Names the logs use for the same applications besides the ones above.
	m["my sign-ins"], m["microsoft 365"] = true, true
	return m
}()

// isFirstParty reports whether an application is Microsoft's own: by id
// when the record has one (a name alone can be chosen by anyone who
// registers an application), else by name.
func isFirstParty(appID, name string) bool {
	if id := strings.ToLower(strings.TrimSpace(appID)); id != "" {
		_, ok := firstParty[id]
		return ok
	}
	return firstPartyNames[strings.ToLower(strings.TrimSpace(name))]
}
