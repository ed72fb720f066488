package common

import (
	"charm.land/lipgloss/v2"
)

// Styles are the lipgloss styles of the whole UI. Colours are ANSI-256
// indices (safe over SSH, where COLORTERM is rarely forwarded); Bubble Tea's
// renderer reduces them further for 16-colour terminals and NO_COLOR. Nothing
// relies on colour alone: the selected row carries a marker and reverse
// video, urgent deadlines a "!".
type Styles struct {
	App         lipgloss.Style
	Header      lipgloss.Style
	HeaderTitle lipgloss.Style
	HeaderDim   lipgloss.Style
	ReadOnly    lipgloss.Style

	TableHeader lipgloss.Style
	Row         lipgloss.Style
	Selected    lipgloss.Style
	Dim         lipgloss.Style
	Soon        lipgloss.Style
	Expired     lipgloss.Style
	Suspended   lipgloss.Style
	Tag         lipgloss.Style

	Title   lipgloss.Style
	Label   lipgloss.Style
	Value   lipgloss.Style
	Section lipgloss.Style
	Link    lipgloss.Style
	Code    lipgloss.Style

	Success lipgloss.Style
	Warning lipgloss.Style
	Error   lipgloss.Style
	Info    lipgloss.Style

	Footer    lipgloss.Style
	KeyHint   lipgloss.Style
	KeyDesc   lipgloss.Style
	StatusErr lipgloss.Style

	Overlay      lipgloss.Style
	OverlayTitle lipgloss.Style
}

// NewStyles returns the styles for a dark or light background.
func NewStyles(isDark bool) *Styles {
	ld := lipgloss.LightDark(isDark)
	var (
		fg      = ld(lipgloss.Color("235"), lipgloss.Color("252"))
		dim     = ld(lipgloss.Color("243"), lipgloss.Color("245"))
		accent  = ld(lipgloss.Color("25"), lipgloss.Color("75"))
		green   = ld(lipgloss.Color("28"), lipgloss.Color("78"))
		yellow  = ld(lipgloss.Color("130"), lipgloss.Color("220"))
		red     = ld(lipgloss.Color("160"), lipgloss.Color("203"))
		magenta = ld(lipgloss.Color("90"), lipgloss.Color("176"))
		headBg  = ld(lipgloss.Color("254"), lipgloss.Color("236"))
		selBg   = ld(lipgloss.Color("153"), lipgloss.Color("24"))
		selFg   = ld(lipgloss.Color("16"), lipgloss.Color("231"))
	)
	s := &Styles{}
	s.App = lipgloss.NewStyle()
	s.Header = lipgloss.NewStyle().Foreground(fg).Background(headBg)
	s.HeaderTitle = lipgloss.NewStyle().Foreground(accent).Background(headBg).Bold(true)
	s.HeaderDim = lipgloss.NewStyle().Foreground(dim).Background(headBg)
	s.ReadOnly = lipgloss.NewStyle().Foreground(yellow).Background(headBg).Bold(true)

	s.TableHeader = lipgloss.NewStyle().Foreground(dim).Bold(true)
	s.Row = lipgloss.NewStyle().Foreground(fg)
	// Reverse keeps the selection visible when colours are stripped (NO_COLOR).
	s.Selected = lipgloss.NewStyle().Foreground(selFg).Background(selBg).Bold(true)
	s.Dim = lipgloss.NewStyle().Foreground(dim)
	s.Soon = lipgloss.NewStyle().Foreground(yellow).Bold(true)
	s.Expired = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Suspended = lipgloss.NewStyle().Foreground(magenta)
	s.Tag = lipgloss.NewStyle().Foreground(accent)

	s.Title = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Label = lipgloss.NewStyle().Foreground(dim)
	s.Value = lipgloss.NewStyle().Foreground(fg)
	s.Section = lipgloss.NewStyle().Foreground(accent).Bold(true).Underline(true)
	s.Link = lipgloss.NewStyle().Foreground(accent).Underline(true)
	s.Code = lipgloss.NewStyle().Foreground(fg)

	s.Success = lipgloss.NewStyle().Foreground(green).Bold(true)
	s.Warning = lipgloss.NewStyle().Foreground(yellow).Bold(true)
	s.Error = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Info = lipgloss.NewStyle().Foreground(accent)

	s.Footer = lipgloss.NewStyle().Foreground(dim)
	s.KeyHint = lipgloss.NewStyle().Foreground(fg).Bold(true)
	s.KeyDesc = lipgloss.NewStyle().Foreground(dim)
	s.StatusErr = lipgloss.NewStyle().Foreground(red)

	s.Overlay = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)
	s.OverlayTitle = lipgloss.NewStyle().Foreground(accent).Bold(true)
	return s
}
