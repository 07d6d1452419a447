package monitor

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The dashboard in headless Chromium (Debian's chromium, driven by
// chromedp): the page loads, the three MJPEG panels show frames, the
// frames change as the culture runs, the statistics table fills and
// refreshes, and a screenshot of the page is not blank.
func TestDashboardInChromium(t *testing.T) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not found: install Debian's chromium (apt-get install chromium; .ci/run does) to run the browser test")
	}
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	m := live(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // needed as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// No timeout on the first Run's context: it starts the browser.
	if err := chromedp.Do(ctx, chromedp.Navigate(m.URL())); err != nil {
		t.Fatal(err)
	}
	tctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	title, err := chromedp.Run(tctx, chromedp.Text(chromedp.ID("title")))
	if err != nil || title != "test culture: live monitor" {
		t.Fatalf("title %q, %v", title, err)
	}
	for _, id := range []string{"activity", "heatmap", "rate"} {
		w, err := chromedp.Run(tctx, chromedp.Poll[int](`document.getElementById("`+id+`").naturalWidth`, chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil || w != 640 {
			t.Fatalf("%s: naturalWidth %d, %v", id, w, err)
		}
	}
	// The activity panel's pixels, read through a canvas, change.
	const digest = `(() => {
		const img = document.getElementById("activity");
		const c = document.createElement("canvas");
		c.width = img.naturalWidth; c.height = img.naturalHeight;
		const g = c.getContext("2d");
		g.drawImage(img, 0, 0);
		const d = g.getImageData(0, 0, c.width, c.height).data;
		let h = 0;
		for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) >>> 0;
		return h;
	})()`
	first, err := chromedp.Run(tctx, chromedp.Evaluate[uint32](digest))
	if err != nil {
		t.Fatal(err)
	}
	changed := false
	for range 40 {
		time.Sleep(100 * time.Millisecond)
		h, err := chromedp.Run(tctx, chromedp.Evaluate[uint32](digest))
		if err != nil {
			t.Fatal(err)
		}
		if h != first {
			changed = true
			break
		}
	}
	if !changed {
		t.Error("the activity panel did not change in 4 s")
	}
	// The statistics refresh: the page counts its updates.
	if _, err := chromedp.Run(tctx, chromedp.Poll[bool](`(+document.body.dataset.updates || 0) >= 3 && document.querySelectorAll("#statsBody tr").length > 5`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("statistics: %v", err)
	}
	shot, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("BL1_SCREENSHOT"); p != "" { // to look at it
		os.WriteFile(p, shot, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	// Not blank: a good share of the page is drawn, in many colours.
	b := img.Bounds()
	colours := map[[3]uint32]bool{}
	var drawn int
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if r>>8 < 0xe0 || g>>8 < 0xe0 || bl>>8 < 0xe0 {
				drawn++
			}
		}
	}
	frac := float64(drawn) / float64(b.Dx()*b.Dy()/4)
	if frac < 0.05 || len(colours) < 50 {
		t.Errorf("screenshot %v: %.1f %% drawn, %d colours", b.Size(), 100*frac, len(colours))
	}
	t.Logf("screenshot %v: %.1f %% drawn, %d colours", b.Size(), 100*frac, len(colours))
}
